"""Deterministic ``.h5p`` packages built from this project's own content type.

No third-party H5P content is available (nor may be downloaded), so tests, the benchmark and
the demo build their packages from ``testcontent/H5P.DigibankVraag-1.1``. Entries are sorted
and carry a fixed timestamp, so the same arguments always give the same bytes (and sha256).
The ``bad_*`` helpers craft packages that break one validation rule each.
"""

from __future__ import annotations

import io
import json
import random
import stat
import zipfile
from pathlib import Path

TESTCONTENT = Path(__file__).resolve().parent / "testcontent"
LIBRARY_FOLDER = "H5P.DigibankVraag-1.1"
MAIN_LIBRARY = "H5P.DigibankVraag"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

DEFAULT_QUESTION = {
    "question": "Je bank stuurt een sms. Ze vraagt je pincode. Wat doe je?",
    "answers": [
        {"text": "Ik stuur mijn pincode terug.", "correct": False},
        {"text": "Ik geef mijn pincode nooit. Ik bel zelf naar de bank.", "correct": True},
    ],
    "feedbackCorrect": "Juist! Je bank vraagt nooit je pincode.",
    "feedbackWrong": "Niet juist. Geef je pincode aan niemand, ook niet aan de bank.",
}


def h5p_json(title: str = "Pincode geheim houden", **overrides) -> dict:
    data = {
        "title": title,
        "language": "nl",
        "mainLibrary": MAIN_LIBRARY,
        "embedTypes": ["div"],
        "license": "U",
        "preloadedDependencies": [
            {"machineName": MAIN_LIBRARY, "majorVersion": 1, "minorVersion": 1}
        ],
    }
    data.update(overrides)
    return data


def library_files() -> dict[str, bytes]:
    folder = TESTCONTENT / LIBRARY_FOLDER
    return {
        f"{LIBRARY_FOLDER}/{path.name}": path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def package_files(
    *, title: str = "Pincode geheim houden", content: dict | None = None, extra=None
) -> dict[str, bytes]:
    files = {
        "h5p.json": json.dumps(h5p_json(title), ensure_ascii=False, indent=2).encode(),
        "content/content.json": json.dumps(
            content or DEFAULT_QUESTION, ensure_ascii=False, indent=2
        ).encode(),
        **library_files(),
    }
    files.update(extra or {})
    return files


def build_zip(files: dict[str, bytes], *, symlinks=(), encrypted=(), level=6) -> bytes:
    """A zip with sorted entries and fixed timestamps: the same input gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED if level == 0 else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode bits below mean what they say
            mode = stat.S_IFLNK | 0o777 if name in symlinks else stat.S_IFREG | 0o644
            info.external_attr = mode << 16
            archive.writestr(info, files[name])
    data = buffer.getvalue()
    return _mark_encrypted(data, set(encrypted)) if encrypted else data


def _mark_encrypted(data: bytes, names: set[str]) -> bytes:
    # zipfile cannot write encrypted entries; set the "encrypted" bit in the local and the
    # central headers, which is all a reader looks at before asking for a password.
    patched = bytearray(data)
    for signature, flag_at, name_length_at, name_at in (
        (b"PK\x03\x04", 6, 26, 30),
        (b"PK\x01\x02", 8, 28, 46),
    ):
        start = 0
        while (index := patched.find(signature, start)) != -1:
            length = int.from_bytes(
                patched[index + name_length_at : index + name_length_at + 2], "little"
            )
            name = bytes(patched[index + name_at : index + name_at + length]).decode(
                "utf-8", "replace"
            )
            if name in names:
                patched[index + flag_at] |= 0x1
            start = index + 4
    return bytes(patched)


def build_package(*, versions_as_text: bool = False, **kwargs) -> bytes:
    """A valid package with one question (H5P.DigibankVraag 1.1).

    ``versions_as_text`` writes the versions as real exports do: ``"majorVersion": "1"``.
    """
    files = package_files(**kwargs)
    if versions_as_text:
        for name in ("h5p.json", f"{LIBRARY_FOLDER}/library.json"):
            data = json.loads(files[name])
            for item in [data, *data.get("preloadedDependencies", [])]:
                for key in ("majorVersion", "minorVersion", "patchVersion"):
                    if key in item:
                        item[key] = str(item[key])
            files[name] = json.dumps(data, indent=2).encode()
    return build_zip(files)


def build_large_package(megabytes: int = 20) -> bytes:
    """A valid package of about ``megabytes`` MB: incompressible media files in content/."""
    generator = random.Random(20)  # noqa: S311 - fixed bytes for a benchmark, not secrets
    chunk = 1024 * 1024
    extra = {
        f"content/images/foto-{index:02d}.jpg": generator.randbytes(chunk)
        for index in range(megabytes)
    }
    return build_zip(package_files(title="Groot pakket", extra=extra), level=1)


# --- crafted bad packages, one broken rule each -------------------------------------------


def bad_not_a_zip() -> bytes:
    return b"Dit is gewoon tekst, geen zip-bestand.\n" * 10


def bad_zip_slip() -> bytes:
    return build_zip(package_files(extra={"../../evil.json": b"{}"}))


def bad_absolute_path() -> bytes:
    return build_zip(package_files(extra={"/etc/evil.json": b"{}"}))


def bad_backslash() -> bytes:
    return build_zip(package_files(extra={"content\\..\\evil.json": b"{}"}))


def bad_drive_letter() -> bytes:
    return build_zip(package_files(extra={"C:/evil.json": b"{}"}))


def bad_symlink() -> bytes:
    files = package_files(extra={"content/link.json": b"/etc/passwd"})
    return build_zip(files, symlinks={"content/link.json"})


def bad_php() -> bytes:
    return build_zip(package_files(extra={"content/shell.php": b"<?php system($_GET['c']);"}))


def bad_php_in_library() -> bytes:
    return build_zip(package_files(extra={f"{LIBRARY_FOLDER}/x.phtml": b"<?php echo 1;"}))


def bad_zip_bomb(megabytes: int = 60) -> bytes:
    """Zeros compress about 1000 times: 60 MB unpacked from a file of some 60 kB."""
    zeros = b"\0" * (megabytes * 1024 * 1024)
    return build_zip(package_files(extra={"content/zeros.txt": zeros}), level=9)


def bad_too_many_files(count: int) -> bytes:
    extra = {f"content/t{index}.txt": b"x" for index in range(count)}
    return build_zip(package_files(extra=extra))


def bad_encrypted() -> bytes:
    files = package_files()
    return build_zip(files, encrypted={"content/content.json"})


def bad_corrupt() -> bytes:
    """A valid zip whose content.json data was damaged after the CRC was written."""
    data = bytearray(build_zip(package_files(), level=0))
    marker = b'"question"'
    index = data.index(marker)
    data[index + 1 : index + 4] = b"XYZ"
    return bytes(data)


def bad_missing_h5p_json() -> bytes:
    files = package_files()
    del files["h5p.json"]
    return build_zip(files)


def bad_invalid_h5p_json() -> bytes:
    return build_zip(package_files(extra={"h5p.json": b"{ dit is geen json"}))


def bad_missing_dependency() -> bytes:
    data = h5p_json(
        preloadedDependencies=[
            {"machineName": MAIN_LIBRARY, "majorVersion": 1, "minorVersion": 1},
            {"machineName": "H5P.JoubelUI", "majorVersion": 1, "minorVersion": 3},
        ]
    )
    return build_zip(package_files(extra={"h5p.json": json.dumps(data).encode()}))


def bad_missing_main_library() -> bytes:
    data = h5p_json(mainLibrary="H5P.MultiChoice")
    return build_zip(package_files(extra={"h5p.json": json.dumps(data).encode()}))


def bad_no_libraries() -> bytes:
    files = {
        name: data
        for name, data in package_files().items()
        if "/" not in name or name.startswith("content/")
    }
    return build_zip(files)


def bad_missing_content() -> bytes:
    files = package_files()
    del files["content/content.json"]
    return build_zip(files)


def bad_invalid_content() -> bytes:
    return build_zip(package_files(extra={"content/content.json": b"[1, 2"}))


# --- the demo package (seed_demo) ------------------------------------------------------------

DEMO_TITLE = "Een vreemde sms"
DEMO_QUESTION = {
    "question": "Je krijgt een vreemde sms over je bank. Er staat een link in. Wat doe je?",
    "answers": [
        {"text": "Ik klik op de link en kijk wat er staat.", "correct": False},
        {
            "text": "Ik klik niet. Ik stuur een foto van de sms naar suspicious@safeonweb.be.",
            "correct": True,
        },
    ],
    "feedbackCorrect": "Juist! Klik nooit op zo'n link. Safeonweb kijkt de sms na.",
    "feedbackWrong": "Niet juist. Klik nooit op de link. Stuur de sms naar Safeonweb.",
}


def build_demo_package() -> bytes:
    return build_package(title=DEMO_TITLE, content=DEMO_QUESTION)
