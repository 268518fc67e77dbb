"""The shared test data beside the project (``../shared/testdata``, read-only in CI).

Every developer and every CI run has ``../shared`` next to the checkout; ``SHARED_DIR``
points elsewhere when a clone lives apart from it. Missing data skips a test on a
developer's machine and fails it in CI (``CI=true``), so CI never passes without having
used it.
"""

import os
from pathlib import Path

import pytest

from config import env

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")
H5P_REAL = Path(os.environ.get("H5P_REAL_DIR") or SHARED / "testdata" / "h5p-real")
OPENBADGES = SHARED / "testdata" / "openbadges"


def require(present: bool, what: Path) -> None:
    if present:
        return
    message = f"shared test data missing: {what} (see ../shared/README.md, or set SHARED_DIR)"
    if env.ci():
        pytest.fail(message)
    pytest.skip(message)
