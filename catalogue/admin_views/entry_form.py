"""The admin form of a catalogue entry: the fields of the catalogue file, typed the same way.

Its fields come from the file's columns (``catalogue.columns.ENTRY_COLUMNS``); what saving
does (the place rule, drafts for partners, the dates) is ``services.catalogue_entry_save``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from catalogue import columns, rules, services
from catalogue.admin_views.scope import limit_to_own_organisations
from catalogue.columns import ENTRY_COLUMNS
from catalogue.models import CatalogueEntry
from courses.vocabulary import LEVEL_CHOICES

# The price and the dates are typed as in the file ("12,50", "12/01/2027 14:00-16:00"), in
# form fields of their own; every other column is its model field.
TYPED_AS_IN_FILE = {"price_cents": "price", "sessions": "dates"}
MODEL_FIELDS = [
    "organisation",
    *(column.field for column in ENTRY_COLUMNS if column.field not in TYPED_AS_IN_FILE),
]
REQUIRED_MODEL_FIELDS = [
    "organisation",
    *(
        column.field
        for column in ENTRY_COLUMNS
        if column.required and column.field not in TYPED_AS_IN_FILE
    ),
]


def form_order() -> list[str]:
    """The order of the form: what, for whom, where, when.

    The file's column order is stable (exports and templates rely on it) and keeps the dates
    last; the form asks for them right after where.
    """
    names = [
        "organisation",
        *(TYPED_AS_IN_FILE.get(column.field, column.field) for column in ENTRY_COLUMNS),
    ]
    names.remove("dates")
    names.insert(names.index("online") + 1, "dates")
    return names


class CatalogueEntryForm(WagtailAdminModelForm):
    """Price and dates are typed as in the catalogue file: '12,50', '12/01/2027 14:00-16:00'."""

    level = forms.TypedChoiceField(
        label=_("niveau"),
        choices=[("", _("Geen niveau"))] + LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    price = forms.CharField(
        label=_("prijs"),
        max_length=30,
        help_text=_("Een bedrag in euro, bv. 12,50, of 'gratis'."),
        error_messages={"required": _("Vul de prijs in, of schrijf gratis.")},
    )
    url = forms.URLField(
        label=_("website van de partner of het Opleidingskompas"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Typ een volledig webadres, bv. https://www.bib.be.")},
    )
    dates = forms.CharField(
        label=_("datums"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén datum per regel: dag/maand/jaar en de uren, bv. 12/01/2027 14:00-16:00."),
    )

    class Meta:
        model = CatalogueEntry
        fields = MODEL_FIELDS
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {name: {"required": _("Vul dit in.")} for name in REQUIRED_MODEL_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_organisations(self.fields["organisation"], getattr(self, "for_user", None))
        if self.instance.pk:
            self.fields["price"].initial = columns.price_cell(self.instance.price_cents)
            self.fields["dates"].initial = "\n".join(
                columns.format_session(session.starts_at, session.ends_at)
                for session in self.instance.sessions.all()
            )
        else:
            self.fields["price"].initial = columns.price_cell(0)

    def clean_price(self):
        try:
            return columns.parse_price(self.cleaned_data["price"])
        except columns.CellError as error:
            raise ValidationError(str(error)) from error

    def clean_dates(self):
        try:
            return columns.parse_sessions(self.cleaned_data["dates"])
        except columns.CellError as error:
            raise ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        digipunt = cleaned.get("digipunt")
        municipality = cleaned.get("municipality")
        try:
            rules.catalogue_entry_place(
                digipunt_municipality_id=digipunt.municipality_id if digipunt else None,
                municipality_id=municipality.pk if municipality else None,
                online=bool(cleaned.get("online")),
            )
        except rules.PlaceUnknown:
            self.add_error(
                "municipality",
                _("Waar gaat het door? Kies een Digipunt of een gemeente, of vink online aan."),
            )
        return cleaned

    def save(self, commit=True):
        """The entry and its dates, written by ``services.catalogue_entry_save``."""
        entry = super().save(commit=False)
        entry.price_cents = self.cleaned_data["price"]
        if commit:
            services.catalogue_entry_save(
                entry=entry,
                sessions=self.cleaned_data["dates"],
                user=getattr(self, "for_user", None),
            )
            # No many-to-many fields today; kept so that one added later is saved too.
            self.save_m2m()
        return entry
