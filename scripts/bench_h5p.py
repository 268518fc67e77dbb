"""H5P figures for docs/benchmarks.md: validate and unpack a 20 MB package; player bytes.

    .venv/bin/python scripts/bench_h5p.py

Builds a deterministic 20 MB package from the project's own content type
(courses.h5p.fixtures.build_large_package), checks it and unpacks it into a temporary
folder exactly as the admin upload does (local storage: staging folder, then one rename).
Also sums the bytes of the player files a learner's browser downloads the first time.
The time from the lesson page to an interactive activity is measured in the browser test
tests/journeys/test_h5p.py::test_h5p_figures (run it with -s to see the figure).
Nothing outside a temporary directory is written.
"""

import gzip
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402

from courses.h5p import fixtures, services, validation  # noqa: E402

PLAYER = ROOT / "node_modules" / "h5p-standalone" / "dist"
PLAYER_FILES = ["main.bundle.js", "frame.bundle.js", "styles/h5p.css"]
OWN_FILES = [ROOT / "static" / "js" / "h5p-frame.js", ROOT / "static" / "css" / "h5p-frame.css"]


def main():
    data = fixtures.build_large_package(20)
    print(f"package: {len(data) / 1024 / 1024:.1f} MB, 25 files")
    validate_times, unpack_times = [], []
    for _run in range(5):
        with tempfile.TemporaryDirectory() as folder:
            storage = FileSystemStorage(location=folder)
            services._storage = lambda storage=storage: storage
            start = time.perf_counter()
            result = validation.validate(io.BytesIO(data))
            validated = time.perf_counter()
            services._unpack(io.BytesIO(data), result.summary)
            done = time.perf_counter()
            assert result.ok and services.is_unpacked(result.summary.sha256)
            validate_times.append(validated - start)
            unpack_times.append(done - validated)
    print(f"validate: median {statistics.median(validate_times) * 1000:.0f} ms")
    print(f"unpack:   median {statistics.median(unpack_times) * 1000:.0f} ms")
    total = [a + b for a, b in zip(validate_times, unpack_times, strict=True)]
    print(f"both:     median {statistics.median(total) * 1000:.0f} ms (of 5 runs)")

    raw = gz = 0
    for path in [PLAYER / name for name in PLAYER_FILES] + OWN_FILES:
        content = path.read_bytes()
        raw += len(content)
        gz += len(gzip.compress(content, 6))
    package = fixtures.build_package()
    print(
        f"player files: {raw / 1024:.0f} kB, gzip -6 {gz / 1024:.0f} kB; "
        f"test package {len(package)} bytes"
    )


if __name__ == "__main__":
    main()
