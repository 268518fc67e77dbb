"""Measure how real .h5p files play, in Chromium, and write what was measured.

    manage.py h5p_report MAP          (or: make h5p-report H5P_DIR=MAP)

Runs the browser test tests/journeys/test_h5p_real.py on every .h5p file in MAP (copied to
a temporary folder first; nothing is stored in the real database): accepted, renders,
xAPI statements after a scripted interaction, resume after reload. Writes the results to
courses/h5p/measured.json (the admin reads it) and prints the table for docs/h5p.md.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.h5p import measured


class Command(BaseCommand):
    help = "Meet hoe echte .h5p-bestanden spelen in Chromium en schrijf de tabel."

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="MAP")
        parser.add_argument(
            "--only-table", action="store_true", help="Alleen de bewaarde tabel tonen."
        )

    def handle(self, *args, folder, only_table, **options):
        if not only_table:
            path = Path(folder).resolve()
            if not any(path.glob("*.h5p")):
                raise CommandError(f"Geen .h5p-bestanden in {path}")
            env = {
                **os.environ,
                "H5P_REAL_DIR": str(path),
                "H5P_REPORT": str(settings.H5P_MEASURED_FILE),
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
            }
            test = "tests/journeys/test_h5p_real.py::test_real_packages_play_and_count"
            done = subprocess.run(  # noqa: S603 - our own test file, no user input in argv
                [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
                cwd=settings.BASE_DIR,
                env=env,
                check=False,
            )
            if done.returncode not in (0, 1):
                raise CommandError("De meting liep niet tot het einde.")
        self.stdout.write(measured.markdown())
