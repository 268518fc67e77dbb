from django.core.management.base import BaseCommand, CommandError

from catalogue import demo


class Command(BaseCommand):
    help = (
        "Load the Westhoek municipalities, the demo Digipunten and mobile-service visits, and "
        "the partners' demo catalogues (catalogue/data/demo-aanbod, through the importer, "
        "dates moved to the coming weeks) from catalogue/data (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only validate the source files; write nothing."
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Only the municipalities: no demo partners, Digipunten, visits or catalogue.",
        )

    def handle(self, *args, check=False, no_demo=False, **options):
        try:
            if check:
                municipalities, data = demo.check()
                stops = len((data.mobile_service or {}).get("stops", []))
                self.stdout.write(
                    f"ok  {demo.MUNICIPALITIES_FILE.name}: {len(municipalities)} gemeenten"
                )
                self.stdout.write(
                    f"ok  {demo.DEMO_FILE.name}: {len(data.organisations)} partners, "
                    f"{len(data.digipunten)} Digipunten, {stops} haltes van de mobiele dienst"
                )
                for path, rows in demo.catalogue_check():
                    self.stdout.write(f"ok  demo-aanbod/{path.name}: {rows} rijen")
                return
            result = demo.load(with_demo=not no_demo)
        except demo.CatalogueDataError as error:
            raise CommandError(str(error)) from error

        if not result.changed:
            self.stdout.write("Catalogus was er al; niets veranderd.")
            return
        self.stdout.write(
            f"Catalogus aangevuld: {result.municipalities} gemeenten, "
            f"{result.organisations} partners, {result.digipunten} Digipunten, "
            f"{result.visits} bezoeken van de mobiele dienst, "
            f"{result.entries} keer aanbod van partners (nieuw of bijgewerkt)."
        )
