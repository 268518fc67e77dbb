from django.core.management.base import BaseCommand, CommandError

from catalogue import demo


class Command(BaseCommand):
    help = (
        "Load the Westhoek municipalities and the demo Digipunten and mobile-service visits "
        "from catalogue/data (idempotent: only adds what is missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only validate the source files; write nothing."
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Only the municipalities: no demo partners, Digipunten or visits.",
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
            f"{result.visits} bezoeken van de mobiele dienst."
        )
