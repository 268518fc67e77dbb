from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from catalogue import demo
from catalogue.models import Organisation, PartnerEditor
from catalogue.services import PARTNER_EDITOR

# Development only (settings.DEMO_ACCOUNTS_ALLOWED): a partner editor for one library.
DEMO_PARTNER = ("partner", "oefenen-partner-2026", "Bibliotheek Ieper")


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
            "--accounts",
            action="store_true",
            help="Also a demo partner-editor account (development settings only).",
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Only the municipalities: no demo partners, Digipunten, visits or catalogue.",
        )

    def handle(self, *args, check=False, no_demo=False, accounts=False, **options):
        if accounts and not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Demo-accounts bestaan alleen in de ontwikkelinstellingen.")
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

        if accounts:
            self._partner_account()
        if not result.changed:
            self.stdout.write("Catalogus was er al; niets veranderd.")
            return
        self.stdout.write(
            f"Catalogus aangevuld: {result.municipalities} gemeenten, "
            f"{result.organisations} partners, {result.digipunten} Digipunten, "
            f"{result.visits} bezoeken van de mobiele dienst, "
            f"{result.entries} keer aanbod van partners (nieuw of bijgewerkt)."
        )

    def _partner_account(self):
        username, password, organisation_name = DEMO_PARTNER
        organisation = Organisation.objects.filter(name=organisation_name).first()
        if organisation is None:
            raise CommandError(f"Partner {organisation_name!r} ontbreekt in de demo-gegevens.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = get_user_model().objects.create_user(username=username, password=password)
        user.groups.add(Group.objects.get_or_create(name=PARTNER_EDITOR)[0])
        PartnerEditor.objects.get_or_create(user=user, defaults={"organisation": organisation})
        self.stdout.write(
            f"  {'Partner':<10} gebruiker: {username:<10} wachtwoord: {password}"
            f"  (redacteur van {organisation.name}: /admin/ → Aanbod van partners)"
        )
