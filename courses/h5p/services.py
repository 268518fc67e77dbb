"""Storing and removing H5P packages. Keyword-only; validation happens first, always.

A package is unpacked into a temporary folder and only then moved into place under
``h5p/<sha256>/``, with a marker file written last: a failure halfway leaves nothing that
looks like a stored package, and the same package uploaded twice is unpacked once.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction

from courses.h5p import fixtures, validation
from courses.h5p.models import CONTENT_ROOT, ORIGINALS_ROOT, H5PPackage
from toolkit.storage import STORAGE_ERRORS, StorageUnavailable

# Written last: a folder without it is an interrupted unpack and is never served.
COMPLETE_MARKER = ".digibank-compleet"


class PackageRefused(Exception):
    """The file is not a package we store; ``messages`` say why, in Dutch."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _storage():
    return default_storage


def _folder(sha256: str) -> str:
    return f"{CONTENT_ROOT}/{sha256}"


def _local_path(storage, name: str) -> Path | None:
    # Only a real local folder can take the atomic rename. InMemoryStorage also answers
    # path(), with a folder it never writes to, so the type is checked, not path().
    if isinstance(storage, FileSystemStorage):
        return Path(storage.path(name))
    return None


def is_unpacked(sha256: str) -> bool:
    return _storage().exists(f"{_folder(sha256)}/{COMPLETE_MARKER}")


def package_find(*, sha256: str) -> H5PPackage | None:
    """The stored package made from exactly this file (same sha256), if there is one."""
    return H5PPackage.objects.filter(sha256=sha256).order_by("pk").first()


@transaction.atomic
def package_store(*, file: IO[bytes], uploaded_by=None) -> H5PPackage:
    """Check ``file``, unpack it once per content hash and record the package.

    Raises ``PackageRefused`` with the validation messages; then nothing is written.
    Raises ``StorageUnavailable`` when the file storage cannot be reached: no package is
    recorded (the transaction rolls back) and a half upload has no marker, so it is never
    served and the next upload of the same file writes it again.
    """
    result = validation.validate(file)
    if not result.ok:
        raise PackageRefused(result.errors)
    try:
        return _package_store(file, result.summary, uploaded_by)
    except STORAGE_ERRORS as error:
        raise StorageUnavailable from error


def _package_store(file: IO[bytes], summary, uploaded_by) -> H5PPackage:
    if not is_unpacked(summary.sha256):
        _unpack(file, summary)
    original = f"{ORIGINALS_ROOT}/{summary.sha256}.h5p"
    if not _storage().exists(original):
        file.seek(0)
        original = _storage().save(original, File(file, name=original))
    return H5PPackage.objects.create(
        title=summary.title,
        main_library=summary.main_library,
        libraries=[lib.as_dict() for lib in summary.libraries],
        content_types=summary.content_types,
        unchecked_types=summary.unchecked,
        file=original,
        size=summary.size,
        unpacked_size=summary.unpacked_size,
        file_count=summary.file_count,
        sha256=summary.sha256,
        uploaded_by=uploaded_by,
    )


def _extract(file: IO[bytes], summary, target: Path) -> None:
    """Write the accepted entries under ``target``; refuses any path that would leave it."""
    root = target.resolve()
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        for name in summary.entries:
            destination = (root / name).resolve()
            if root not in destination.parents:
                raise validation.UnsafePath(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out, length=1024 * 1024)
    (root / COMPLETE_MARKER).write_bytes(b"")


def _unpack(file: IO[bytes], summary) -> None:
    storage = _storage()
    folder = _folder(summary.sha256)
    final = _local_path(storage, folder)
    if final is not None:
        # A local folder (FileSystemStorage): unpack next to it, then one atomic rename.
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{summary.sha256[:12]}-", dir=final.parent))
        try:
            _extract(file, summary, staging)
            if final.exists():
                shutil.rmtree(final)  # an earlier interrupted unpack: no marker inside
            os.replace(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    # Object storage (S3, in memory): unpack locally, upload, and write the marker last.
    saved = []
    with tempfile.TemporaryDirectory(prefix="h5p-") as local:
        staging = Path(local) / uuid.uuid4().hex
        _extract(file, summary, staging)
        try:
            for name in [*summary.entries, COMPLETE_MARKER]:
                path = f"{folder}/{name}"
                if storage.exists(path):
                    storage.delete(path)
                with open(staging / name, "rb") as handle:
                    saved.append(storage.save(path, File(handle, name=path)))
        except Exception:
            # Best effort: with the storage away these fail too, and the first error counts.
            with contextlib.suppress(*STORAGE_ERRORS):
                for path in saved:
                    storage.delete(path)
            raise


@transaction.atomic
def package_delete(*, package: H5PPackage) -> None:
    """Remove the package; its files go with the last package that shares them."""
    package.delete()  # package_deleted releases the files


def package_deleted(sender, instance: H5PPackage, **kwargs) -> None:
    """``post_delete`` receiver: however a package row went (one, a queryset, the admin's
    bulk action), release its files. Django sends it after the batch's rows are deleted, so
    packages deleted together do not keep each other's files."""
    files_release(instance.sha256)


def files_release(sha256: str) -> None:
    """After a package row is deleted: remove its files if no other package uses them."""
    if H5PPackage.objects.filter(sha256=sha256).exists():
        return
    transaction.on_commit(lambda: _remove_files(sha256))


def _remove_files(sha256: str) -> None:
    if H5PPackage.objects.filter(sha256=sha256).exists():
        return  # uploaded again in the meantime
    storage = _storage()
    folder = _folder(sha256)
    local = _local_path(storage, folder)
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
    else:
        _delete_tree(storage, folder)
    original = f"{ORIGINALS_ROOT}/{sha256}.h5p"
    if storage.exists(original):
        storage.delete(original)


def _delete_tree(storage, folder: str) -> None:
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        storage.delete(f"{folder}/{name}")
    for name in directories:
        _delete_tree(storage, f"{folder}/{name}")


def content_name(sha256: str, path: str) -> str | None:
    """The storage name of one file of a stored package, or None for a path we never serve."""
    if not validation.SHA256.match(sha256) or validation.unsafe_name(path) or path.endswith("/"):
        return None
    if validation.hidden(path):
        return None  # the marker, and files H5P itself would skip
    return f"{_folder(sha256)}/{path}"


def demo_package_ensure() -> tuple[H5PPackage, bool]:
    """The demo package (built from the project's own content type), once: (package, new).

    Trainers find it under "H5P-pakketten" and can try an H5P step with it; the demo
    lesson "Je bankapp" ends with it (see courses/demo.py).
    """
    data = fixtures.build_demo_package()
    sha256, _size = validation.file_sha256(io.BytesIO(data))
    existing = H5PPackage.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    return package_store(file=io.BytesIO(data)), True
