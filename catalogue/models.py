"""Partners, their Digipunten and the mobile service's visits.

Municipalities are data (catalogue/data/westhoek.csv), not code: the 2025 mergers and
changing Digibank clusters are edits to rows, not releases.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from courses.fields import CompetencesField

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


# --- the partner course catalogue ------------------------------------------------------------

KIND_CHOICES = [
    ("course", _("Cursus")),
    ("workshop", _("Workshop")),
    ("digimoment", _("Digimoment")),
    ("lending", _("Toestel lenen")),
]

LANGUAGE_CHOICES = [
    ("nl", _("Nederlands")),
    ("nl-easy", _("Nederlands, extra eenvoudig")),
    ("fr", _("Frans")),
    ("en", _("Engels")),
    ("multi", _("Meertalig")),
]


class PartnerEditor(models.Model):
    """A partner's staff member: edits and imports only their own organisation's entries."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_editor"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="editors")

    class Meta:
        verbose_name = _("redacteur van een partner")
        verbose_name_plural = _("redacteurs van partners")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ImportRun(models.Model):
    """One upload of a partner's catalogue file: previewed first, applied on confirmation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_runs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    file_format = models.CharField(max_length=10)
    # A full import lists everything the partner offers: entries missing from it are
    # withdrawn (never deleted). A partial import only adds and changes.
    full = models.BooleanField(default=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    # [{"line": 12, "field": "prijs", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)
    # The rows read from the file (catalogue/importing.py), kept between preview and apply
    # so applying needs no new upload; emptied once applied.
    rows = models.JSONField(default=list, blank=True)
    # What the preview showed: [{"line", "code", "title", "action", "fields"}] for new,
    # changed and withdrawn entries (unchanged ones are only counted).
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation} – {self.filename} ({self.created_at:%d/%m/%Y %H:%M})"


# ``CatalogueEntry.upcoming_start`` of an entry without a date after ``upcoming_from``. Far
# enough for any date a partner gives, and far enough from year 9999 to stay a valid
# datetime in any time zone.
NO_DATE = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


class CatalogueEntry(index.Indexed, models.Model):
    """A partner's course, workshop, digimoment or device lending, as learners see it."""

    DRAFT = "draft"
    PUBLISHED = "published"
    # A reviewer sent it back with a reason (``review_reason``); the partner's next change
    # makes it a draft again, so it waits for review once more.
    REJECTED = "rejected"
    STATUS_CHOICES = [
        (DRAFT, _("Nog na te lezen")),
        (PUBLISHED, _("Gepubliceerd")),
        (REJECTED, _("Afgewezen")),
    ]

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="entries"
    )
    # The partner's own id for the entry: makes imports idempotent.
    external_id = models.CharField(_("eigen code van de partner"), max_length=80)
    title = models.CharField(_("titel"), max_length=150)
    summary = models.TextField(_("korte uitleg in eenvoudige taal"), max_length=600)
    kind = models.CharField(_("soort"), max_length=20, choices=KIND_CHOICES)
    competences = CompetencesField(_("DigComp-competenties"))
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    language = models.CharField(_("taal"), max_length=10, choices=LANGUAGE_CHOICES, default="nl")
    price_cents = models.PositiveIntegerField(_("prijs in cent"), default=0)
    digipunt = models.ForeignKey(
        Digipunt,
        verbose_name=_("Digipunt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    address = models.CharField(_("adres"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online = models.BooleanField(_("online"), default=False)
    signup = models.CharField(_("zo schrijf je in"), max_length=300, blank=True)
    url = models.URLField(_("website van de partner of het Opleidingskompas"), blank=True)
    accessibility = models.CharField(_("toegankelijkheid"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=DRAFT)
    # The last review (catalogue_entries_publish / catalogue_entries_reject): the partner's
    # dashboard shows its outcome. Entries a reviewer imports or saves are published without
    # a review and have none.
    reviewed_at = models.DateTimeField(_("nagekeken op"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nagekeken door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_reason = models.TextField(_("reden van de afwijzing"), blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Copies of the entry's dates, kept by ``services.catalogue_entry_dates_refresh`` (every
    # write of sessions calls it), so /verder-leren/ filters and orders 10,000 entries on
    # columns instead of a subquery over the sessions per entry (catalogue/next_steps.py).
    # ``last_start`` does not depend on the clock: an entry has a date that has not started
    # yet exactly while ``last_start`` lies ahead. ``upcoming_start`` is the first date after
    # ``upcoming_from`` (when it was computed): the next date for any moment from
    # ``upcoming_from`` until ``upcoming_start`` itself; after that it is only a hint. No date
    # after ``upcoming_from`` is ``NO_DATE``, not NULL: ordered by it, entries without a
    # date come last on an index (SQLite's indexes cannot put NULL last).
    last_start = models.DateTimeField(null=True, blank=True, editable=False)
    upcoming_start = models.DateTimeField(default=NO_DATE, editable=False)
    upcoming_from = models.DateTimeField(null=True, blank=True, editable=False)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("withdrawn_at"),
        index.FilterField("kind"),
        index.FilterField("municipality"),
    ]

    class Meta:
        verbose_name = _("aanbod van een partner")
        verbose_name_plural = _("aanbod van partners")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="one_entry_per_external_id"
            )
        ]
        indexes = [
            # The reviewers' dashboard counts waiting entries per partner on every visit.
            models.Index(fields=["status", "organisation"], name="entry_status_partner"),
            # /verder-leren/ in its order (next_steps.Listing) and the catch-up of next dates
            # that have started (services).
            models.Index(fields=["status", "upcoming_start", "title"], name="entry_listing"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0


class CatalogueSession(models.Model):
    """One date of an entry (a course has several; a digimoment one)."""

    entry = models.ForeignKey(CatalogueEntry, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))

    class Meta:
        verbose_name = _("datum")
        verbose_name_plural = _("datums")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="catalogue_session_start")]

    def __str__(self):
        return f"{self.entry} – {self.starts_at:%d/%m/%Y %H:%M}"
