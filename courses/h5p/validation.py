"""Check an uploaded ``.h5p`` file before anything is written.

Pure functions: they read the zip (in memory or from a temporary upload) and return either
a summary of an accepted package or the list of Dutch messages that say what is wrong, in
words a trainer understands. Nothing here touches storage or the database, so
``manage.py h5p_check`` and the admin upload give exactly the same answer.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from courses.h5p import measured

# H5P's own default whitelist (h5p-php-library, H5PCore::$defaultContentWhitelist), minus
# swf (Flash). Library folders may also hold their code (js, css). No html, php, exe...
CONTENT_EXTENSIONS = frozenset(
    [
        "json",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "svg",
        "eot",
        "ttf",
        "woff",
        "woff2",
        "otf",
        "webm",
        "mp4",
        "ogg",
        "mp3",
        "m4a",
        "wav",
        "txt",
        "pdf",
        "rtf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "xml",
        "csv",
        "diff",
        "patch",
        "md",
        "textile",
        "vtt",
        "webvtt",
    ]
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}
# Code a web server could run. Such a file refuses the whole package (as before); any other
# file outside the lists above is only skipped (not unpacked) with a warning, as H5P does.
SERVER_CODE_EXTENSIONS = frozenset(
    [
        "php",
        "php3",
        "php4",
        "php5",
        "php7",
        "php8",
        "phtml",
        "phar",
        "pht",
        "phps",
        "cgi",
        "pl",
        "py",
        "rb",
        "asp",
        "aspx",
        "ashx",
        "jsp",
        "jspx",
        "cfm",
        "sh",
        "bash",
        "exe",
        "dll",
        "bat",
        "cmd",
        "com",
        "ps1",
        "vbs",
        "jar",
        "war",
        "htaccess",
        "shtml",
    ]
)

MACHINE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)-(?P<major>\d{1,5})\.(?P<minor>\d{1,5})$")
DRIVE = re.compile(r"^[A-Za-z]:")
HASH_CHUNK = 1024 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class UnsafePath(Exception):
    """An entry would be written outside its folder. Validation refuses these first."""


@dataclass(frozen=True)
class Library:
    machine_name: str
    major: int
    minor: int
    patch: int = 0
    title: str = ""
    runnable: bool = False
    folder: str = ""

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def key(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"

    def as_dict(self) -> dict:
        return {
            "machine_name": self.machine_name,
            "version": self.version,
            "title": self.title,
            "runnable": self.runnable,
            "folder": self.folder,
        }


@dataclass
class Summary:
    """An accepted package: what the admin shows and what the model stores."""

    title: str
    main_library: str  # "H5P.DigibankVraag 1.1"
    libraries: list[Library]
    content_types: list[str]  # machine names of the runnable libraries
    checked: list[str]  # measured in Chromium (courses/h5p/measured.json)
    unchecked: list[str]  # not measured
    sha256: str
    size: int  # bytes of the .h5p file
    unpacked_size: int
    file_count: int
    # The entries to unpack, in order; hidden files (".", "_") are left out as H5P does.
    entries: list[str] = field(default_factory=list, repr=False)
    # Files of a type H5P does not allow there (an old .swf, a stray .html): not unpacked.
    skipped: list[str] = field(default_factory=list)
    # Files that load something from another site (fonts, scripts, media): host names.
    external: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.unchecked:
            found.append(
                _(
                    "Dit pakket gebruikt inhoudstypes die wij nog niet getest hebben: "
                    "%(names)s. Probeer het pakket hieronder zelf uit, ook op een gsm, voor "
                    "je het in een les gebruikt."
                )
                % {"names": ", ".join(self.unchecked)}
            )
        if self.skipped:
            found.append(
                _(
                    "Deze bestanden laden wij niet op, omdat dit soort bestand niet in een "
                    "H5P-pakket hoort: %(names)s. De rest van het pakket werkt wel."
                )
                % {"names": ", ".join(self.skipped[:10])}
            )
        if self.external:
            found.append(
                _(
                    "Dit pakket haalt iets van een andere website (%(sites)s). Dat deel laadt "
                    "niet bij de leerders: de speler haalt niets van andere websites. Kijk of "
                    "de oefening ook zonder dat werkt."
                )
                % {"sites": ", ".join(self.external[:5])}
            )
        return found


@dataclass
class Result:
    summary: Summary | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.summary is not None and not self.errors


def limits() -> dict:
    return {
        "max_upload": settings.H5P_MAX_UPLOAD_BYTES,
        "max_unpacked": settings.H5P_MAX_UNPACKED_BYTES,
        "max_files": settings.H5P_MAX_FILES,
        "max_ratio": settings.H5P_MAX_COMPRESSION_RATIO,
    }


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def file_sha256(file: IO[bytes]) -> tuple[str, int]:
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := file.read(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def validate(file: IO[bytes]) -> Result:
    """Check a seekable binary file. Never raises for bad input: every problem is a message."""
    try:
        return _validate(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        # Anything the zip module trips over that the checks above did not name.
        return Result(errors=[_corrupt(error)])
    except (NotImplementedError, RuntimeError, zlib.error, struct.error) as error:
        # Unsupported compression methods, encryption and damaged data surface as these.
        return Result(errors=[_corrupt(error)])


def _corrupt(_error) -> str:
    return _(
        "Dit bestand is beschadigd: het kan niet helemaal gelezen worden. Exporteer het "
        "pakket opnieuw en laad het nog eens op."
    )


def _validate(file: IO[bytes]) -> Result:
    bounds = limits()
    sha256, size = file_sha256(file)
    if size > bounds["max_upload"]:
        return Result(
            errors=[
                _("Dit bestand is te groot (%(size)s). Het mag hoogstens %(max)s zijn.")
                % {"size": _megabytes(size), "max": _megabytes(bounds["max_upload"])}
            ]
        )
    if not zipfile.is_zipfile(file):
        return Result(
            errors=[
                _(
                    "Dit is geen H5P-pakket: een .h5p-bestand is een zip-bestand, en dit "
                    "bestand is dat niet. Exporteer de oefening opnieuw als .h5p-bestand."
                )
            ]
        )
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        infos = archive.infolist()
        errors = _check_entries(infos, size, bounds)
        if errors:
            return Result(errors=errors)
        entries = [info for info in infos if not info.is_dir() and not hidden(info.filename)]
        errors = _check_server_code(entries)
        if errors:
            return Result(errors=errors)
        skipped = sorted(info.filename for info in entries if not allowed_file(info.filename))
        entries = [info for info in entries if allowed_file(info.filename)]
        # Read every entry once: CRC errors (a corrupt file) show up now, not halfway
        # through unpacking.
        contents = {}
        external = set()
        for info in entries:
            with archive.open(info) as member:
                data = member.read()
            if info.filename in ("h5p.json", "content/content.json") or info.filename.endswith(
                "/library.json"
            ):
                contents[info.filename] = data
            external |= external_hosts(info.filename, data)
        names = {info.filename for info in entries}
        result = _check_h5p(contents, names, sha256=sha256, size=size, entries=entries)
        if result.summary is not None:
            result.summary.skipped = skipped
            result.summary.external = sorted(external)
        return result


def hidden(name: str) -> bool:
    # H5P core skips files and folders whose name starts with "." or "_" (__MACOSX, .DS_Store).
    return any(part.startswith((".", "_")) for part in name.split("/") if part)


def unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or DRIVE.match(name):
        return True
    return any(part in ("..", ".") for part in name.split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_entries(infos, size: int, bounds: dict) -> list[str]:
    errors = []
    unsafe = sorted({info.filename for info in infos if unsafe_name(info.filename)})
    if unsafe:
        errors.append(
            _(
                "Dit pakket bevat bestanden met een onveilige naam (%(names)s). Zo'n naam kan "
                "buiten de map schrijven. Wij laden dit pakket niet op."
            )
            % {"names": ", ".join(unsafe[:5])}
        )
    links = sorted(info.filename for info in infos if _is_symlink(info))
    if links:
        errors.append(
            _(
                "Dit pakket bevat snelkoppelingen (symlinks): %(names)s. Een H5P-pakket mag "
                "alleen gewone bestanden bevatten."
            )
            % {"names": ", ".join(links[:5])}
        )
    if any(info.flag_bits & 0x1 for info in infos):
        errors.append(
            _(
                "Dit pakket is beveiligd met een wachtwoord. Exporteer het opnieuw zonder "
                "wachtwoord."
            )
        )
    files = [info for info in infos if not info.is_dir()]
    if len(files) > bounds["max_files"]:
        errors.append(
            _("Dit pakket bevat %(count)d bestanden. Er mogen er hoogstens %(max)d in zitten.")
            % {"count": len(files), "max": bounds["max_files"]}
        )
    unpacked = sum(info.file_size for info in files)
    if unpacked > bounds["max_unpacked"]:
        errors.append(
            _("Uitgepakt is dit pakket %(size)s groot. Dat mag hoogstens %(max)s zijn.")
            % {"size": _megabytes(unpacked), "max": _megabytes(bounds["max_unpacked"])}
        )
    elif unpacked > bounds["max_ratio"] * max(size, 1) and unpacked > 1024 * 1024:
        # A zip bomb: a few kilobytes that unpack to gigabytes.
        errors.append(
            _(
                "Dit pakket wordt bij het uitpakken verdacht veel groter (%(ratio)d keer). "
                "Zo'n bestand kan de server plat leggen. Wij laden het niet op."
            )
            % {"ratio": unpacked // max(size, 1)}
        )
    return errors


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def allowed_file(name: str) -> bool:
    """True for a file H5P unpacks: its whitelist, and code only in library folders."""
    if name == "h5p.json":
        return True
    allowed = CONTENT_EXTENSIONS if name.startswith("content/") else LIBRARY_EXTENSIONS
    return _extension(name) in allowed


def _server_code(name: str) -> bool:
    # Every suffix counts: "shell.php.png" could still run on a badly set-up server.
    parts = PurePosixPath(name).name.lower().split(".")[1:]
    return any(part in SERVER_CODE_EXTENSIONS for part in parts)


def _check_server_code(entries) -> list[str]:
    refused = sorted(info.filename for info in entries if _server_code(info.filename))
    if not refused:
        return []
    return [
        _(
            "Dit pakket bevat programma's voor een server: %(names)s. Die horen niet in een "
            "H5P-pakket en kunnen gevaarlijk zijn. Wij laden dit pakket niet op."
        )
        % {"names": ", ".join(refused[:10])}
    ]


# Loads from another site: url(http...) and @import in CSS, src/href attributes and common
# CDNs in JavaScript, and media paths in content.json. Identifiers such as xAPI verbs
# ("http://adlnet.gov/expapi/verbs/...") are not loads and are not matched.
CSS_EXTERNAL = re.compile(
    rb"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//([A-Za-z0-9.-]+)""", re.I
)
JS_EXTERNAL = re.compile(
    rb"""(?:\bsrc\s*=\s*|\bhref\s*=\s*|\.src\s*=\s*)\\?['"](?:https?:)?//([A-Za-z0-9.-]+)"""
    rb"""|['"]https?://((?:[A-Za-z0-9-]+\.)*(?:googleapis\.com|gstatic\.com|cdnjs\.cloudflare\.com"""
    rb"""|jsdelivr\.net|unpkg\.com|cloudflare\.com|bootstrapcdn\.com|jquery\.com|"""
    rb"""mathjax\.org|youtube\.com|vimeo\.com))""",
    re.I,
)
CONTENT_EXTERNAL = re.compile(rb'"path"\s*:\s*"https?:\\?/\\?/([A-Za-z0-9.-]+)', re.I)


def external_hosts(name: str, data: bytes) -> set[str]:
    """The other sites a package file loads from (lower-case host names)."""
    suffix = _extension(name)
    if suffix == "css":
        pattern = CSS_EXTERNAL
    elif suffix == "js":
        pattern = JS_EXTERNAL
    elif name.startswith("content/") and suffix == "json":
        pattern = CONTENT_EXTERNAL
    else:
        return set()
    hosts = set()
    for match in pattern.finditer(data):
        host = next((group for group in match.groups() if group), b"")
        if host:
            hosts.add(host.decode("ascii", "replace").lower())
    return hosts


def _json(contents: dict, name: str):
    raw = contents.get(name)
    if raw is None:
        return None, False
    try:
        return json.loads(raw.decode("utf-8-sig")), True
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None, True


def _int(value) -> int | None:
    """A version number: H5P writes them as numbers or as digit strings ("1")."""
    if (
        isinstance(value, str)
        and len(value) <= 9
        and value.strip().isascii()
        and value.strip().isdigit()
    ):
        value = int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _dependency(item) -> tuple[str, int, int] | None:
    if not isinstance(item, dict):
        return None
    name = item.get("machineName")
    major, minor = _int(item.get("majorVersion")), _int(item.get("minorVersion"))
    if not isinstance(name, str) or not MACHINE_NAME.match(name) or major is None or minor is None:
        return None
    return name, major, minor


def _dependencies(data: dict) -> list[tuple[str, int, int]] | None:
    items = data.get("preloadedDependencies", [])
    if not isinstance(items, list):
        return None
    found = [_dependency(item) for item in items]
    return None if any(item is None for item in found) else found


def _check_h5p(contents, names, *, sha256, size, entries) -> Result:
    errors = []
    again = _("Exporteer het pakket opnieuw, met de bibliotheken erbij (in Lumi: 'Exporteren').")
    h5p, present = _json(contents, "h5p.json")
    if not present:
        return Result(
            errors=[
                _(
                    "In dit pakket ontbreekt het bestand h5p.json. Zonder dat bestand weten wij "
                    "niet wat er in het pakket zit. %(again)s"
                )
                % {"again": again}
            ]
        )
    main = dependencies = None
    title = ""
    if not isinstance(h5p, dict):
        errors.append(
            _("Het bestand h5p.json in dit pakket is onleesbaar. %(again)s") % {"again": again}
        )
    else:
        title = h5p.get("title") if isinstance(h5p.get("title"), str) else ""
        main = h5p.get("mainLibrary")
        dependencies = _dependencies(h5p)
        if not title.strip():
            errors.append(_("In h5p.json ontbreekt de titel van de oefening."))
        if not isinstance(main, str) or not MACHINE_NAME.match(main):
            errors.append(_("In h5p.json ontbreekt de hoofdbibliotheek (mainLibrary)."))
            main = None
        if dependencies is None:
            errors.append(
                _(
                    "In h5p.json staan bibliotheken zonder geldige naam of versie "
                    "(preloadedDependencies). %(again)s"
                )
                % {"again": again}
            )
        elif not dependencies:
            errors.append(_("In h5p.json staat niet welke bibliotheken de oefening nodig heeft."))

    content, content_present = _json(contents, "content/content.json")
    if not content_present:
        errors.append(
            _("In dit pakket ontbreekt de inhoud zelf (content/content.json). %(again)s")
            % {"again": again}
        )
    elif not isinstance(content, dict):
        errors.append(
            _("De inhoud van dit pakket (content/content.json) is onleesbaar. %(again)s")
            % {"again": again}
        )

    libraries, library_errors = _libraries(contents, names)
    errors.extend(library_errors)
    if not libraries and not library_errors:
        errors.append(
            _(
                "Dit pakket bevat geen bibliotheken. Exporteer het opnieuw met de "
                "bibliotheken erbij (in Lumi en Moodle staat dat standaard aan)."
            )
        )
    if errors:
        return Result(errors=errors)

    available = {(lib.machine_name, lib.major, lib.minor): lib for lib in libraries}
    needed = set(dependencies)
    for lib in libraries:
        needed.update(lib_dependencies(contents, lib) or [])
    missing = {
        f"{name} {major}.{minor}"
        for name, major, minor in needed
        if (name, major, minor) not in available
    }
    main_dependency = next((dep for dep in dependencies if dep[0] == main), None)
    if main_dependency is None:
        missing.add(main)
    if missing:
        return Result(
            errors=[
                _(
                    "Dit pakket mist bibliotheken die de oefening nodig heeft: %(names)s. "
                    "Exporteer het opnieuw met alle bibliotheken erbij."
                )
                % {"names": ", ".join(sorted(missing))}
            ]
        )
    main_lib = available[main_dependency]

    content_types = sorted({lib.machine_name for lib in libraries if lib.runnable})
    allowed = {name for name in content_types if measured.is_measured(name)}
    summary = Summary(
        title=title.strip()[:255],
        main_library=main_lib.key,
        libraries=sorted(libraries, key=lambda lib: lib.key),
        content_types=content_types,
        checked=[name for name in content_types if name in allowed],
        unchecked=[name for name in content_types if name not in allowed],
        sha256=sha256,
        size=size,
        unpacked_size=sum(info.file_size for info in entries),
        file_count=len(entries),
        entries=sorted(info.filename for info in entries),
    )
    return Result(summary=summary)


def lib_dependencies(contents: dict, lib: Library) -> list[tuple[str, int, int]] | None:
    data, _present = _json(contents, f"{lib.folder}/library.json")
    return _dependencies(data) if isinstance(data, dict) else None


def _libraries(contents: dict, names: set[str]) -> tuple[list[Library], list[str]]:
    libraries, errors = [], []
    folders = sorted({name.split("/", 1)[0] for name in names if "/" in name} - {"content"})
    for folder in folders:
        data, present = _json(contents, f"{folder}/library.json")
        if not present:
            continue  # not a library folder (H5P ignores it too); its files were checked
        match = LIBRARY_FOLDER.match(folder)
        lib = _library(data, folder)
        if lib is None or match is None or _dependencies(data) is None:
            errors.append(
                _("De bibliotheek in de map %(folder)s is onleesbaar (library.json).")
                % {"folder": folder}
            )
            continue
        if (match["name"], int(match["major"]), int(match["minor"])) != (
            lib.machine_name,
            lib.major,
            lib.minor,
        ):
            errors.append(
                _("De map %(folder)s heeft niet de naam van de bibliotheek erin (%(key)s).")
                % {"folder": folder, "key": lib.key}
            )
            continue
        lists = [data.get(key) or [] for key in ("preloadedJs", "preloadedCss")]
        if not all(isinstance(items, list) for items in lists):
            errors.append(
                _("De bibliotheek in de map %(folder)s is onleesbaar (library.json).")
                % {"folder": folder}
            )
            continue
        wanted = [
            item.get("path") if isinstance(item, dict) else None
            for items in lists
            for item in items
        ]
        absent = sorted(
            str(path)
            for path in wanted
            if not isinstance(path, str) or f"{folder}/{path}" not in names
        )
        if absent:
            errors.append(
                _("In de bibliotheek %(key)s ontbreken bestanden: %(names)s.")
                % {"key": lib.key, "names": ", ".join(absent)}
            )
            continue
        libraries.append(lib)
    return libraries, errors


def _library(data, folder: str) -> Library | None:
    if not isinstance(data, dict):
        return None
    name = data.get("machineName")
    major, minor = _int(data.get("majorVersion")), _int(data.get("minorVersion"))
    patch = _int(data.get("patchVersion")) or 0
    if not isinstance(name, str) or not MACHINE_NAME.match(name) or major is None or minor is None:
        return None
    title = data.get("title") if isinstance(data.get("title"), str) else name
    return Library(
        machine_name=name,
        major=major,
        minor=minor,
        patch=patch,
        title=title[:200],
        runnable=data.get("runnable") in (1, True),
        folder=folder,
    )
