"""Controlled vocabularies kept in code: DigComp 2.2 competences and module themes.

Kept here rather than in the database because certificates and reports refer to these codes
and they must mean the same thing everywhere. Labels are learner-facing and in Dutch.
"""

from django.utils.translation import gettext_lazy as _

DIGCOMP_AREAS = {
    "1": _("Informatie en data"),
    "2": _("Communiceren en samenwerken"),
    "3": _("Digitale inhoud maken"),
    "4": _("Veiligheid"),
    "5": _("Problemen oplossen"),
}

DIGCOMP_COMPETENCES = {
    "1.1": _("Zoeken en surfen"),
    "1.2": _("Informatie beoordelen"),
    "1.3": _("Gegevens beheren"),
    "2.1": _("Contact via digitale middelen"),
    "2.2": _("Delen via digitale middelen"),
    "2.3": _("Burgerschap: online diensten van overheid en bedrijven"),
    "2.4": _("Samenwerken via digitale middelen"),
    "2.5": _("Netiquette"),
    "2.6": _("Je digitale identiteit beheren"),
    "3.1": _("Digitale inhoud maken"),
    "3.2": _("Digitale inhoud bewerken"),
    "3.3": _("Auteursrecht en licenties"),
    "3.4": _("Programmeren"),
    "4.1": _("Je toestellen beschermen"),
    "4.2": _("Persoonsgegevens en privacy beschermen"),
    "4.3": _("Gezondheid en welzijn"),
    "4.4": _("Het milieu beschermen"),
    "5.1": _("Technische problemen oplossen"),
    "5.2": _("Noden en oplossingen herkennen"),
    "5.3": _("Creatief digitale technologie gebruiken"),
    "5.4": _("Leren wat je nog niet kunt"),
}

DIGCOMP_CHOICES = [(code, f"{code} {label}") for code, label in DIGCOMP_COMPETENCES.items()]


def digcomp_area(code: str) -> str:
    return DIGCOMP_AREAS[code.split(".", 1)[0]]


LEVEL_CHOICES = [
    (1, _("Niveau 1: ik begin")),
    (2, _("Niveau 2: ik ken de basis")),
    (3, _("Niveau 3: ik wil meer doen")),
]

# Themes group modules on the home page, in this order.
THEME_CHOICES = [
    ("device", _("Je toestel")),
    ("identity", _("Je identiteit en inloggen")),
    ("government", _("De overheid online")),
    ("money", _("Geld en betalen")),
    ("safety", _("Veilig online")),
    ("daily", _("Elke dag online")),
]
THEME_ORDER = {code: index for index, (code, _label) in enumerate(THEME_CHOICES)}
