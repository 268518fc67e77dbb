"""Import a partner's catalogue file from the command line: a dry run unless --apply.

    manage.py import_catalogue aanbod.csv --organisation "Bibliotheek Ieper"
    manage.py import_catalogue aanbod.csv --organisation 12 --apply
    manage.py import_catalogue extra.json --organisation "Bibliotheek Ieper" --partial --apply

The same importer as the admin's "Catalogus importeren" (catalogue/services.py). Whoever runs
this is trusted like an administrator: applied entries are published. The file format is in
docs/catalogue-format.md.
"""

import difflib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue import services
from catalogue.importing import ACTION_LABELS, error_text
from catalogue.models import Organisation


def find_organisation(value: str) -> Organisation:
    value = value.strip()
    if value.isdigit():
        organisation = Organisation.objects.filter(pk=int(value)).first()
    else:
        organisation = Organisation.objects.filter(name__iexact=value).first()
    if organisation is None:
        names = list(Organisation.objects.values_list("name", flat=True))
        close = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
        hint = f" Bedoel je: {', '.join(close)}?" if close else ""
        raise CommandError(f"Onbekende organisatie '{value}'.{hint}")
    return organisation


class Command(BaseCommand):
    help = (
        "Import a partner's catalogue (CSV or JSON). Without --apply only shows what would "
        "change (a dry run: only the import record is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The partner's CSV or JSON file.")
        parser.add_argument(
            "--organisation", required=True, help="The partner's name or id (see /admin/partners/)."
        )
        parser.add_argument(
            "--apply", action="store_true", help="Apply the changes (default: only show them)."
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Only add and change: do not withdraw entries missing from the file.",
        )

    def handle(self, *args, file, organisation, apply=False, partial=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        partner = find_organisation(organisation)
        run = services.catalogue_import_preview(
            organisation=partner,
            filename=path.name,
            content=path.read_bytes(),
            full=not partial,
        )
        kind = "gedeeltelijke import" if partial else "volledige import"
        self.stdout.write(f"{path.name} voor {partner.name} ({run.file_format}, {kind})")
        self._counts(run)
        for change in run.changes:
            where = f"regel {change['line']}" if change["line"] else "niet meer in het bestand"
            fields = f" ({', '.join(change['fields'])})" if change["fields"] else ""
            self.stdout.write(
                f"  {ACTION_LABELS[change['action']]:<12} {change['code']}: {change['title']}"
                f"{fields} [{where}]"
            )
        if run.errors:
            bad = len({error["line"] for error in run.errors if error["line"]})
            self.stdout.write(f"\n{len(run.errors)} fouten ({bad} rijen met een fout):")
            for error in run.errors:
                self.stdout.write(f"  {error_text(error, run.file_format)}")
            raise CommandError(
                "Er is niets veranderd. Verbeter de fouten in het bestand en probeer opnieuw."
            )
        if not apply:
            self.stdout.write(
                "\nDit was een proef: er is niets veranderd. Voeg --apply toe om toe te passen."
            )
            return
        try:
            run = services.catalogue_import_apply(run=run)
        except services.CatalogueRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\nToegepast:")
        self._counts(run)

    def _counts(self, run):
        self.stdout.write(
            f"  nieuw: {run.created}, aangepast: {run.changed}, "
            f"niet veranderd: {run.unchanged}, ingetrokken: {run.withdrawn}"
        )
