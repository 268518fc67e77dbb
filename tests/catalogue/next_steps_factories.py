"""Catalogue entries and sessions for the tests of /verder-leren/, its exports and search.

catalogue/factories.py has no entry factories yet; these live next to the tests that use them.
"""

import datetime

import factory
from django.utils import timezone
from wagtail.search.index import insert_or_update_object

from catalogue.factories import MunicipalityFactory, OrganisationFactory
from catalogue.models import CatalogueEntry, CatalogueSession


def at(days: int, hour: int = 9, minute: int = 30) -> datetime.datetime:
    """An aware datetime `days` from today at a Belgian clock time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class EntryFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    external_id = factory.Sequence(lambda n: f"code-{n}")
    title = factory.Sequence(lambda n: f"Cursus {n}")
    summary = "Je leert werken met je smartphone."
    kind = "course"
    competences = factory.LazyFunction(lambda: ["2.6"])
    level = 1
    language = "nl"
    price_cents = 0
    municipality = factory.SubFactory(MunicipalityFactory)
    address = "Kerkstraat 1, 8900 Ieper"
    signup = "Bel naar 057 00 00 00."
    url = "https://bib.example/cursus"
    status = CatalogueEntry.PUBLISHED

    class Meta:
        model = CatalogueEntry
        skip_postgeneration_save = True

    @factory.post_generation
    def dates(self, create, extracted, **kwargs):
        """dates=[7, 14]: sessions 7 and 14 days from now (9.30-11.30); default one in 7 days.

        dates=[] makes none.
        """
        if not create:
            return
        for days in [7] if extracted is None else extracted:
            CatalogueSession.objects.create(
                entry=self, starts_at=at(days), ends_at=at(days, 11, 30)
            )


def index(*entries) -> None:
    """Wagtail's database search backend only finds rows that are in its index."""
    for entry in entries:
        insert_or_update_object(entry)
