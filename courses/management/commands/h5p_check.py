"""Check .h5p files with the same rules as the admin upload, without storing anything.

    manage.py h5p_check pakket.h5p andere/*.h5p

Prints, per file, what the admin would show (or every reason it would refuse the file).
The exit status is 1 when any file is refused, so it can guard a bulk upload in a script.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.h5p import measured, validation


class Command(BaseCommand):
    help = "Kijk .h5p-bestanden na zoals bij het opladen, zonder iets te bewaren."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        refused = 0
        for name in files:
            path = Path(name)
            self.stdout.write(self.style.MIGRATE_HEADING(str(path)))
            if not path.is_file():
                refused += 1
                self.stdout.write(self.style.ERROR(f"  Dit bestand bestaat niet: {path}"))
                continue
            with path.open("rb") as handle:
                result = validation.validate(handle)
            if not result.ok:
                refused += 1
                for message in result.errors:
                    self.stdout.write(self.style.ERROR(f"  ✗ {message}"))
                continue
            summary = result.summary
            self.stdout.write(self.style.SUCCESS(f"  ✓ In orde: {summary.title}"))
            self.stdout.write(f"    Hoofdbibliotheek: {summary.main_library}")
            libraries = ", ".join(f"{lib.machine_name} {lib.version}" for lib in summary.libraries)
            self.stdout.write(f"    Bibliotheken: {libraries}")
            for name in summary.content_types:
                self.stdout.write(f"    {name}: {measured.status(name)}")
            for warning in summary.warnings:
                self.stdout.write(self.style.WARNING(f"    ! {warning}"))
        if refused:
            raise CommandError(f"{refused} van {len(files)} bestanden geweigerd.", returncode=1)
