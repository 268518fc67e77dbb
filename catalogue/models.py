"""Partners, their Digipunten and the mobile service's visits.

Municipalities are data (catalogue/data/westhoek.csv), not code: the 2025 mergers and
changing Digibank clusters are edits to rows, not releases.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CLUSTER_CHOICES = [
    ("diksmuide", _("Diksmuide")),
    ("ieper", _("Ieper")),
    ("poperinge", _("Poperinge")),
    ("westkust", _("Westkust")),
]

ORGANISATION_KINDS = [
    ("library", _("Bibliotheek")),
    ("cvo", _("Centrum voor volwassenenonderwijs")),
    ("ocmw", _("OCMW of sociaal huis")),
    ("ldc", _("Lokaal dienstencentrum")),
    ("digibank", _("Digibank")),
    ("other", _("Andere partner")),
]

# What a Digipunt helps with; shown as a list of plain words.
SERVICE_CHOICES = [
    ("eid", _("eID en pincode")),
    ("itsme", _("itsme")),
    ("taxonweb", _("Tax-on-web")),
    ("burgerprofiel", _("Mijn Burgerprofiel")),
    ("banking", _("bankapp")),
    ("lending", _("toestel lenen")),
    ("printing", _("printen en scannen")),
    ("wifi", _("gratis wifi")),
]


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=80, unique=True)
    slug = models.SlugField(unique=True)
    cluster = models.CharField(_("Digibank"), max_length=20, choices=CLUSTER_CHOICES)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("naam"), max_length=150, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=ORGANISATION_KINDS)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


def validate_services(value):
    known = {code for code, _label in SERVICE_CHOICES}
    if not isinstance(value, list) or any(code not in known for code in value):
        raise ValidationError(_("Kies diensten uit de lijst."))


class Digipunt(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="digipunten"
    )
    name = models.CharField(_("naam"), max_length=150)
    street = models.CharField(_("straat en nummer"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    opening_hours = models.TextField(
        _("openingsuren"), help_text=_("Eén regel per dag, bv. 'maandag 9 tot 12 uur'.")
    )
    services = models.JSONField(_("hulp bij"), default=list, validators=[validate_services])
    accessibility = models.TextField(_("toegankelijkheid"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    is_demo = models.BooleanField(
        _("voorbeeldgegevens"), default=False, help_text=_("Adres en uren zijn een voorbeeld.")
    )

    class Meta:
        verbose_name = _("Digipunt")
        verbose_name_plural = _("Digipunten")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_digipunt_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.municipality})"


class MobileVisit(models.Model):
    """A stop of the mobile service (e.g. Poperinge's bus in every village)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="visits"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.CharField(_("dorp"), max_length=80)
    place = models.CharField(_("plaats"), max_length=150, help_text=_("Bv. 'aan de kerk'"))
    date = models.DateField(_("datum"))
    start = models.TimeField(_("van"))
    end = models.TimeField(_("tot"))

    class Meta:
        verbose_name = _("bezoek van de mobiele dienst")
        verbose_name_plural = _("bezoeken van de mobiele dienst")
        ordering = ["date", "start"]
        indexes = [models.Index(fields=["date"], name="visit_date")]

    def __str__(self):
        return f"{self.village}, {self.date:%d/%m/%Y} {self.start:%H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Het einde moet na het begin liggen.")})
