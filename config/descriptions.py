"""What each public address is about, in one or two easy Dutch sentences: the page's
``<meta name="description">`` (search engines show it under the link, and so does a
message app when someone shares the address).

Wagtail pages describe themselves (``base.html``: the trainer's search description, else
the module's summary or the lesson's or home page's introduction). The other pages are
named here by their URL name, so every template gets its description from one place.
"""

from django.utils.translation import gettext_lazy as _

DESCRIPTIONS = {
    "learning:my_learning": _(
        "Zie hoe ver je bent in elke module. Ga verder waar je was. "
        "Hier vind je ook je certificaten."
    ),
    "learning:card_login": _(
        "Meld je aan met je leerkaart. Typ de code of scan de QR-code. "
        "Je hebt geen e-mailadres nodig."
    ),
    "learning:card_make": _(
        "Maak een leerkaart. Met die kaart ga je op een ander toestel verder waar je was."
    ),
    "learning:login": _("Meld je aan met je account. Zo ga je verder waar je was."),
    "learning:account_create": _(
        "Maak een account met een naam en een wachtwoord. Je hebt geen e-mailadres nodig."
    ),
    "learning:display": _("Kies grotere letters of meer contrast op dit toestel."),
    "learning:language": _(
        "Kies de taal van de knoppen en uitleg: Nederlands, Frans, Engels, Pools, "
        "Oekraïens of Arabisch."
    ),
    "learning:accessibility": _(
        "Hoe toegankelijk is het Digibank Leerplatform? Wat werkt, wat nog niet, "
        "en waar meld je een probleem?"
    ),
    "catalogue:help": _(
        "Vind een Digipunt bij jou in de buurt. "
        "Daar helpt iemand je gratis met je smartphone, eID en itsme."
    ),
    "catalogue:help_municipality": _(
        "Vind een Digipunt bij jou in de buurt. "
        "Daar helpt iemand je gratis met je smartphone, eID en itsme."
    ),
    "catalogue:next_steps": _(
        "Cursussen, workshops en digimomenten van bibliotheken en andere partners in de Westhoek. "
        "Je kunt er ook een toestel lenen."
    ),
    "catalogue:search": _("Zoek een les, een module of een cursus in de buurt."),
    "courses:glossary": _(
        "Moeilijke woorden over je eID, itsme, bankieren en veilig online, "
        "uitgelegd in eenvoudige taal."
    ),
    "certificates:verify_form": _(
        "Is dit certificaat echt? Typ de code van het certificaat en kijk het na."
    ),
    "certificates:verify": _("Kijk na of een certificaat van het Digibank Leerplatform echt is."),
    "certificates:mine": _("Je certificaten van het Digibank Leerplatform. Download ze als PDF."),
}


def page_description(request):
    """``page_description`` for ``base.html``: empty on Wagtail pages (they have their own)."""
    match = getattr(request, "resolver_match", None)
    return {"page_description": DESCRIPTIONS.get(match.view_name, "") if match else ""}
