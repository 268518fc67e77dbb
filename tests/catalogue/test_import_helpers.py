"""Shared helpers for the catalogue import tests (no tests here).

Partners, places and files built in code, so each test shows the rows it imports.
"""

import csv
import io

import pytest

from catalogue.columns import COLUMNS
from catalogue.factories import DigipuntFactory, MunicipalityFactory, OrganisationFactory

BASE_ROW = {
    "code": "BIB-1",
    "titel": "Digitaal Café",
    "uitleg": "Stel je vragen over je smartphone.",
    "soort": "workshop",
    "competenties": "5.1, 2.1",
    "niveau": "1",
    "taal": "eenvoudig nederlands",
    "prijs": "gratis",
    "digipunt": "Bibliotheek Ieper",
    "adres": "",
    "gemeente": "",
    "online": "nee",
    "inschrijven": "Kom gewoon langs.",
    "website": "",
    "toegankelijkheid": "Toegankelijk met rolstoel.",
    "datums": "12/01/2027 14:00-16:00 | 26/01/2027 14:00-16:00",
}


def row(**changes) -> dict:
    return {**BASE_ROW, **changes}


def csv_bytes(
    rows, *, delimiter=",", encoding="utf-8", columns=COLUMNS, header=None, quote_all=False
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header or columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return out.getvalue().encode(encoding)


@pytest.fixture
def places(db):
    """Ieper and Poperinge, the library's Digipunt, and two partners."""
    ieper = MunicipalityFactory(name="Ieper")
    poperinge = MunicipalityFactory(name="Poperinge", cluster="poperinge")
    library = OrganisationFactory(name="Bibliotheek Ieper")
    cvo = OrganisationFactory(name="CVO Westhoek", kind="cvo")
    digipunt = DigipuntFactory(organisation=library, name="Bibliotheek Ieper", municipality=ieper)
    return {
        "ieper": ieper,
        "poperinge": poperinge,
        "library": library,
        "cvo": cvo,
        "digipunt": digipunt,
    }


@pytest.fixture
def roles(db):
    """The staff groups, extended by every app's roles hook (which adds "Partner editor")."""
    from django.contrib.auth.models import Group, Permission
    from wagtail import hooks

    from courses.roles import ADMINISTRATOR, REVIEWER, ROLES_HOOK, TRAINER

    admin_access = Permission.objects.get(codename="access_admin")
    groups = {}
    for name in (TRAINER, REVIEWER, ADMINISTRATOR):  # as courses.roles.roles_ensure makes them
        groups[name] = Group.objects.get_or_create(name=name)[0]
        groups[name].permissions.add(admin_access)
    for extend in hooks.get_hooks(ROLES_HOOK):
        extend(groups)
    return {group.name: group for group in Group.objects.all()}


def partner_editor(organisation, roles):
    """A user in the "Partner editor" group, linked to ``organisation``."""
    from catalogue.models import PartnerEditor
    from catalogue.services import PARTNER_EDITOR
    from learning.factories import UserFactory

    user = UserFactory()
    user.groups.add(roles[PARTNER_EDITOR])
    PartnerEditor.objects.create(user=user, organisation=organisation)
    return user


def staff(group, roles):
    from learning.factories import UserFactory

    user = UserFactory()
    user.groups.add(roles[group])
    return user
