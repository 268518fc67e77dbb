from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from courses import demo
from courses.h5p import services as h5p_services
from courses.roles import REVIEWER, TRAINER, roles_ensure

# Development only: settings.DEMO_ACCOUNTS_ALLOWED is True in config/settings/dev.py alone.
DEMO_ACCOUNTS = [
    ("trainer", "oefenen-trainer-2026", TRAINER),
    ("reviewer", "oefenen-reviewer-2026", REVIEWER),
    ("beheerder", "oefenen-beheerder-2026", None),
]


class Command(BaseCommand):
    help = "Load the demo modules from courses/demo_content (idempotent) and the staff roles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only validate the source files; write nothing."
        )
        parser.add_argument(
            "--accounts", action="store_true", help="Also create demo staff accounts (dev only)."
        )
        parser.add_argument(
            "--no-translations",
            action="store_true",
            help="Skip the lesson translations (about 25 s; browser tests that do not need them).",
        )

    def handle(self, *args, check=False, accounts=False, no_translations=False, **options):
        if accounts and not settings.DEMO_ACCOUNTS_ALLOWED:
            # Refuse before touching anything: production never gets known passwords.
            raise CommandError("Demo-accounts bestaan alleen in de ontwikkelinstellingen.")
        if check:
            try:
                for source in demo.module_sources():
                    demo.module_check(source)
                    lessons = len(source.data["lessons"])
                    self.stdout.write(f"ok  {source.path.name}: {lessons} lessen")
                terms = demo.glossary_check(demo.glossary_source())
                self.stdout.write(f"ok  {demo.GLOSSARY_FILE}: {len(terms)} woorden")
                translations = demo.glossary_translations_check(demo.glossary_source())
                self.stdout.write(f"ok  {demo.GLOSSARY_FILE}: {len(translations)} vertalingen")
            except demo.DemoContentError as error:
                raise CommandError(str(error)) from error
            return

        try:
            created = demo.demo_load()
            new_terms = demo.glossary_load()
            new_term_translations = demo.glossary_translations_load()
        except demo.DemoContentError as error:
            raise CommandError(str(error)) from error
        translated = 0 if no_translations else demo.translations_load()
        home, _index = demo.site_ensure()
        roles_ensure(tree_root=home)
        for module in created:
            self.stdout.write(f"Module toegevoegd: {module.title}")
        if translated:
            self.stdout.write(f"Vertalingen van lessen toegevoegd: {translated}")
        if new_terms:
            self.stdout.write(f"Woorden toegevoegd aan de woordenlijst: {len(new_terms)}")
        if new_term_translations:
            count = len(new_term_translations)
            self.stdout.write(f"Vertalingen toegevoegd aan de woordenlijst: {count}")
        if not created and not translated and not new_terms and not new_term_translations:
            self.stdout.write("Demo-inhoud was er al; niets veranderd.")
        package, new = h5p_services.demo_package_ensure()
        if new:
            self.stdout.write(f"H5P-pakket toegevoegd: {package.title}")
        if accounts:
            self._accounts()

    def _accounts(self):

        User = get_user_model()
        self.stdout.write("\nDemo-accounts voor /admin/ (alleen voor ontwikkeling):")
        for username, password, group_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    is_staff=group_name is None,
                    is_superuser=group_name is None,
                )
                if group_name:
                    user.groups.add(Group.objects.get(name=group_name))
            role = group_name or "Beheerder"
            self.stdout.write(f"  {role:<10} gebruiker: {username:<10} wachtwoord: {password}")
