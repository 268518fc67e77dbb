"""Every validation rule with a crafted package: the message, and storage left untouched."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.h5p import fixtures, services, validation
from courses.h5p.models import H5PPackage

BAD = [
    (fixtures.bad_not_a_zip, "geen H5P-pakket"),
    (fixtures.bad_corrupt, "beschadigd"),
    (fixtures.bad_encrypted, "wachtwoord"),
    (fixtures.bad_zip_slip, "onveilige naam (../../evil.json)"),
    (fixtures.bad_absolute_path, "onveilige naam (/etc/evil.json)"),
    (fixtures.bad_backslash, "onveilige naam"),
    (fixtures.bad_drive_letter, "onveilige naam (C:/evil.json)"),
    (fixtures.bad_symlink, "snelkoppelingen (symlinks): content/link.json"),
    (fixtures.bad_php, "programma's voor een server: content/shell.php"),
    (fixtures.bad_php_in_library, "programma's voor een server: H5P.DigibankVraag-1.1/x.phtml"),
    (fixtures.bad_zip_bomb, "verdacht veel groter"),
    (fixtures.bad_missing_h5p_json, "ontbreekt het bestand h5p.json"),
    (fixtures.bad_invalid_h5p_json, "h5p.json in dit pakket is onleesbaar"),
    (
        fixtures.bad_missing_dependency,
        "mist bibliotheken die de oefening nodig heeft: H5P.JoubelUI 1.3",
    ),
    (
        fixtures.bad_missing_main_library,
        "mist bibliotheken die de oefening nodig heeft: H5P.MultiChoice",
    ),
    (fixtures.bad_no_libraries, "bevat geen bibliotheken. Exporteer het opnieuw"),
    (fixtures.bad_missing_content, "ontbreekt de inhoud zelf (content/content.json)"),
    (fixtures.bad_invalid_content, "content/content.json) is onleesbaar"),
]


def stored_names(folder=""):
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    names = {f"{folder}/{name}".lstrip("/") for name in files}
    for directory in directories:
        names |= stored_names(f"{folder}/{directory}".lstrip("/"))
    return names


def test_the_test_package_is_accepted_with_its_summary():
    result = validation.validate(io.BytesIO(fixtures.build_package()))
    assert result.ok, result.errors
    summary = result.summary
    assert summary.title == "Pincode geheim houden"
    assert summary.main_library == "H5P.DigibankVraag 1.1"
    assert [(lib.machine_name, lib.version) for lib in summary.libraries] == [
        ("H5P.DigibankVraag", "1.1.0")
    ]
    assert summary.checked == ["H5P.DigibankVraag"] and summary.unchecked == []
    assert summary.warnings == []


def test_packages_are_built_deterministically():
    assert fixtures.build_package() == fixtures.build_package()


def test_unmeasured_content_types_are_accepted_with_a_warning(settings, tmp_path):
    settings.H5P_MEASURED_FILE = tmp_path / "leeg.json"
    summary = validation.validate(io.BytesIO(fixtures.build_package())).summary
    assert summary.unchecked == ["H5P.DigibankVraag"]
    assert "nog niet getest hebben: H5P.DigibankVraag" in summary.warnings[0]


@pytest.mark.parametrize(("build", "message"), BAD, ids=[build.__name__ for build, _m in BAD])
@pytest.mark.django_db
def test_each_bad_package_is_refused_with_its_message_and_nothing_stored(build, message):
    before = stored_names()
    result = validation.validate(io.BytesIO(build()))
    assert not result.ok
    assert any(message in error for error in result.errors), result.errors
    with pytest.raises(services.PackageRefused) as refused:
        services.package_store(file=io.BytesIO(build()))
    assert refused.value.messages == result.errors
    assert stored_names() == before
    assert not H5PPackage.objects.exists()


def test_versions_written_as_text_are_accepted():
    # Every real export writes "majorVersion": "1" (h5p.json and library.json).
    data = fixtures.build_package(versions_as_text=True)
    result = validation.validate(io.BytesIO(data))
    assert result.ok, result.errors
    assert result.summary.main_library == "H5P.DigibankVraag 1.1"


def test_versions_that_are_not_numbers_say_so():
    h5p = fixtures.h5p_json(
        preloadedDependencies=[
            {"machineName": "H5P.DigibankVraag", "majorVersion": "een", "minorVersion": 1}
        ]
    )
    result = validation.validate(
        io.BytesIO(
            fixtures.build_zip(fixtures.package_files(extra={"h5p.json": json.dumps(h5p).encode()}))
        )
    )
    assert "zonder geldige naam of versie" in result.errors[0]


@pytest.mark.django_db
def test_files_of_other_types_are_skipped_with_a_warning():
    data = fixtures.build_zip(
        fixtures.package_files(
            extra={
                "content/oud.swf": b"FWS",
                "content/pagina.html": b"<script>alert(1)</script>",
                "content/stijl.css": b"body{}",
            }
        )
    )
    result = validation.validate(io.BytesIO(data))
    assert result.ok, result.errors
    summary = result.summary
    assert summary.skipped == ["content/oud.swf", "content/pagina.html", "content/stijl.css"]
    assert "content/oud.swf" not in summary.entries
    assert any(
        "laden wij niet op" in warning and "oud.swf" in warning for warning in summary.warnings
    )
    package = services.package_store(file=io.BytesIO(data))
    names = stored_names(package.content_folder)
    assert f"{package.content_folder}/content/content.json" in names
    skipped = [f"{package.content_folder}/{name}" for name in summary.skipped]
    assert names.isdisjoint(skipped)


def test_packages_that_load_from_other_sites_get_a_warning():
    data = fixtures.build_zip(
        fixtures.package_files(
            extra={
                "H5P.DigibankVraag-1.1/font.css": b"@import url('https://fonts.googleapis.com/css?family=X');",
            }
        )
    )
    summary = validation.validate(io.BytesIO(data)).summary
    assert summary.external == ["fonts.googleapis.com"]
    assert any("andere website (fonts.googleapis.com)" in warning for warning in summary.warnings)
    # An xAPI verb is an identifier, not something loaded.
    assert not validation.external_hosts(
        "H5P.X-1.1/x.js", b'var v = "http://adlnet.gov/expapi/verbs/answered";'
    )


def test_too_many_files_and_too_large(settings):
    settings.H5P_MAX_FILES = 10
    result = validation.validate(io.BytesIO(fixtures.bad_too_many_files(10)))
    assert "Er mogen er hoogstens 10 in zitten" in result.errors[0]
    settings.H5P_MAX_UNPACKED_BYTES = 1000
    result = validation.validate(io.BytesIO(fixtures.build_package()))
    assert "Uitgepakt is dit pakket" in " ".join(result.errors)
    settings.H5P_MAX_UPLOAD_BYTES = 100
    result = validation.validate(io.BytesIO(fixtures.build_package()))
    assert result.errors[0].startswith("Dit bestand is te groot")


# --- property-based: random and mutated zips never crash and never write outside ------------

VALID = fixtures.build_package()


@st.composite
def mutated_packages(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


names = st.lists(
    st.sampled_from(
        ["a", "b.json", ".", "/", "\\", ":", "_x", "..", "content/", "H5P.X-1.1/", "C:"]
    ),
    min_size=1,
    max_size=8,
).map("".join)


@st.composite
def random_zips(draw):
    files = dict(fixtures.package_files())
    for _ in range(draw(st.integers(0, 4))):
        files[draw(names)] = draw(st.binary(max_size=200))
    if draw(st.booleans()):
        files.pop(draw(st.sampled_from(sorted(files))), None)
    symlinks = {name for name in files if draw(st.booleans()) and draw(st.booleans())}
    return fixtures.build_zip(files, symlinks=symlinks)


def _stores_nothing_outside(data, tmp_path):
    result = validation.validate(io.BytesIO(data))
    assert result.ok or result.errors
    if result.ok:
        # Whatever is accepted unpacks inside its own folder, never next to it.
        target = tmp_path / "pakket"
        target.mkdir(exist_ok=True)
        services._extract(io.BytesIO(data), result.summary, target)
        outside = {p for p in tmp_path.rglob("*") if target not in p.parents and p != target}
        assert outside == set()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mutated_packages())
def test_mutated_packages_never_crash_the_validator(data, tmp_path):
    _stores_nothing_outside(data, tmp_path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=random_zips())
def test_random_zips_never_crash_or_write_outside(data, tmp_path):
    _stores_nothing_outside(data, tmp_path)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_politely(data):
    result = validation.validate(io.BytesIO(data))
    assert not result.ok and result.errors


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_entry_names_do_not_crash():
    buffer = io.BytesIO(fixtures.build_package())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("content/content.json", b"[]")
    result = validation.validate(io.BytesIO(buffer.getvalue()))
    assert result.ok or result.errors


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
H5P_KEYS = ["title", "mainLibrary", "preloadedDependencies"]
LIBRARY_KEYS = ["machineName", "majorVersion", "minorVersion", "preloadedJs", "preloadedCss"]


@st.composite
def json_mutated_packages(draw):
    h5p = fixtures.h5p_json()
    library = json.loads(
        (fixtures.TESTCONTENT / fixtures.LIBRARY_FOLDER / "library.json").read_text()
    )
    for _ in range(draw(st.integers(1, 3))):
        target, keys = draw(st.sampled_from([(h5p, H5P_KEYS), (library, LIBRARY_KEYS)]))
        target[draw(st.sampled_from(keys))] = draw(json_values)
    content = draw(json_values)
    files = fixtures.package_files(
        extra={
            "h5p.json": json.dumps(h5p).encode(),
            f"{fixtures.LIBRARY_FOLDER}/library.json": json.dumps(library).encode(),
        }
    )
    if draw(st.booleans()):
        files["content/content.json"] = json.dumps(content).encode()
    return fixtures.build_zip(files)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=json_mutated_packages())
def test_odd_json_in_h5p_and_library_files_never_crashes(data, tmp_path):
    _stores_nothing_outside(data, tmp_path)
