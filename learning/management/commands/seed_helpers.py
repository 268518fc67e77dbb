from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Digipunt
from learning.models import Digihelper
from learning.wagtail_hooks import DIGIHELPER

USERNAME = "digihelper"
PASSWORD = "oefenen-digihelper-2026"  # noqa: S105 - development only, see DEMO_ACCOUNTS_ALLOWED


class Command(BaseCommand):
    help = "Development only: a demo digihelper account at a demo Digipunt (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Demo-accounts bestaan alleen in de ontwikkelinstellingen.")
        digipunt = (
            Digipunt.objects.order_by("municipality__name", "name")
            .filter(municipality__name="Ieper")
            .first()
            or Digipunt.objects.order_by("pk").first()
        )
        if digipunt is None:
            raise CommandError("Er zijn nog geen Digipunten: voer eerst seed_catalogue uit.")
        user = get_user_model().objects.filter(username=USERNAME).first()
        if user is None:
            user = get_user_model().objects.create_user(username=USERNAME, password=PASSWORD)
        group, _created = Group.objects.get_or_create(name=DIGIHELPER)
        user.groups.add(group)
        helper, _created = Digihelper.objects.get_or_create(
            user=user, defaults={"digipunt": digipunt}
        )
        self.stdout.write(
            f"  {'Digihelper':<10} gebruiker: {USERNAME:<10} wachtwoord: {PASSWORD}"
            f"  (werkplek: /helpers/, {helper.digipunt.name}, helpercode {helper.helper_code})"
        )
