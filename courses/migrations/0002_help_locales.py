"""The help languages as Wagtail locales, so trainers can translate lessons into them.

Dutch (nl-be) is the source locale, made by Wagtail's own migration. The codes are written
out here rather than read from settings: a migration must give the same result forever.
"""

from django.db import migrations

HELP_LANGUAGES = ["fr", "en", "pl", "uk", "ar"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in HELP_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_page_tree"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Reversing keeps the locales: translated content may hang on them.
    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
