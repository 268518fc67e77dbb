"""The twelve real packages from h5p.org (shared test data, read-only, never committed).

They are copied to a temporary folder first. Skipped where the shared folder is absent,
except in CI, where that fails.
"""

import shutil

import pytest
from django.core.management import call_command

from courses.h5p import validation
from tests.shared_data import H5P_REAL, require

REAL = H5P_REAL
NAMES = sorted(path.name for path in REAL.glob("*.h5p")) if REAL.is_dir() else []


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory):
    require(len(NAMES) >= 12, REAL)
    folder = tmp_path_factory.mktemp("h5p-real")
    for name in NAMES:
        shutil.copyfile(REAL / name, folder / name)
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_real_package_is_accepted(real_folder, name):
    with (real_folder / name).open("rb") as handle:
        result = validation.validate(handle)
    assert result.ok, result.errors
    assert result.summary.main_library.startswith(name.removesuffix(".h5p") + " ")
    assert result.summary.skipped == []


def test_h5p_check_accepts_all_twelve(real_folder, capsys):
    call_command("h5p_check", *sorted(str(path) for path in real_folder.glob("*.h5p")))
    out = capsys.readouterr().out
    assert out.count("✓ In orde") == 12
