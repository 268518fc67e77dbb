"""Factories for municipalities, partners and Digipunten, used by the tests."""

import factory

from catalogue.models import Digipunt, Municipality, Organisation


class MunicipalityFactory(factory.django.DjangoModelFactory):
    name = "Ieper"
    slug = factory.LazyAttribute(lambda obj: obj.name.lower().replace(" ", "-"))
    cluster = "ieper"

    class Meta:
        model = Municipality
        django_get_or_create = ["name"]


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Bibliotheek {n}")
    kind = "library"

    class Meta:
        model = Organisation


class DigipuntFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Digipunt {n}")
    street = "Kerkstraat 1"
    postcode = "8900"
    municipality = factory.SubFactory(MunicipalityFactory)
    opening_hours = "maandag: 9 tot 12 uur"
    services = factory.LazyFunction(lambda: ["eid", "itsme"])
    is_demo = True

    class Meta:
        model = Digipunt
