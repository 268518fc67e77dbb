"""Partners, Digipunten, mobile-service visits and municipalities in the Wagtail admin.

One menu group, "Partners en Digipunten". Trainers and reviewers keep Digipunten and
visits up to date; the municipality list is reference data (catalogue/data/westhoek.csv)
that they may read but only an administrator changes.
"""

import re

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import BooleanRadioSelect

from catalogue.models import (
    CLUSTER_CHOICES,
    SERVICE_CHOICES,
    Digipunt,
    MobileVisit,
    Municipality,
    Organisation,
)
from catalogue.selectors import service_labels
from courses.roles import ADMINISTRATOR, REVIEWER, ROLES_HOOK, TRAINER

REQUIRED = _("Vul dit in.")
POSTCODE = re.compile(r"^[1-9][0-9]{3}$")

# What trainers and reviewers may do here (see the module docstring).
ROLE_PERMISSIONS = {
    "digipunt": ["add", "change", "delete", "view"],
    "mobilevisit": ["add", "change", "delete", "view"],
    "organisation": ["add", "change", "view"],
    "municipality": ["view"],
}


def _required_messages(*names):
    return {name: {"required": REQUIRED} for name in names}


# --- forms -----------------------------------------------------------------------------------


class OrganisationForm(WagtailAdminModelForm):
    # Declared to choose the scheme for addresses typed without one ("www.bib.be").
    website = forms.URLField(
        label=_("website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Typ een volledig webadres, bv. https://www.bib.be.")},
    )

    class Meta:
        model = Organisation
        fields = ["name", "kind", "website"]
        error_messages = {
            **_required_messages("name", "kind"),
            "name": {"required": REQUIRED, "unique": _("Er is al een partner met deze naam.")},
        }


class DigipuntForm(WagtailAdminModelForm):
    # The model keeps a JSON list of codes; staff tick boxes instead of typing JSON.
    services = forms.MultipleChoiceField(
        label=_("Hulp bij"),
        choices=SERVICE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Kies diensten uit de lijst.")},
    )

    class Meta:
        model = Digipunt
        fields = [
            "organisation",
            "name",
            "municipality",
            "street",
            "postcode",
            "opening_hours",
            "services",
            "accessibility",
            "phone",
            "is_demo",
        ]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "accessibility": _("Eén regel per punt, bv. 'Toegankelijk met rolstoel'."),
        }
        error_messages = _required_messages(
            "organisation", "name", "municipality", "street", "postcode", "opening_hours"
        )

    def clean_services(self):
        chosen = set(self.cleaned_data["services"])
        # Stored in the order of SERVICE_CHOICES, so the page always lists them the same way.
        return [code for code, _label in SERVICE_CHOICES if code in chosen]

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not POSTCODE.match(postcode):
            raise ValidationError(_("Een postcode heeft 4 cijfers, bv. 8970."))
        return postcode


class MobileVisitForm(WagtailAdminModelForm):
    class Meta:
        model = MobileVisit
        fields = ["organisation", "municipality", "village", "place", "date", "start", "end"]
        error_messages = {
            **_required_messages("organisation", "municipality", "village", "place"),
            "date": {"required": REQUIRED, "invalid": _("Typ een datum, bv. 08-12-2026.")},
            "start": {"required": REQUIRED, "invalid": _("Typ een uur, bv. 09:30.")},
            "end": {"required": REQUIRED, "invalid": _("Typ een uur, bv. 11:30.")},
        }


class MunicipalityForm(WagtailAdminModelForm):
    class Meta:
        model = Municipality
        fields = ["name", "slug", "cluster"]
        error_messages = {
            "name": {"required": REQUIRED, "unique": _("Deze gemeente bestaat al.")},
            "slug": {
                "required": REQUIRED,
                "unique": _("Een andere gemeente heeft deze slug al."),
                "invalid": _("Gebruik alleen kleine letters, cijfers en streepjes."),
            },
            "cluster": {"required": REQUIRED},
        }


# --- listing filters -------------------------------------------------------------------------


def _cluster_filter():
    return django_filters.ChoiceFilter(
        field_name="municipality__cluster",
        label=_("Digibank"),
        choices=CLUSTER_CHOICES,
        widget=forms.RadioSelect,
        empty_label=_("Alle"),
    )


def _municipality_filter():
    return django_filters.ModelChoiceFilter(
        field_name="municipality", label=_("Gemeente"), queryset=Municipality.objects.all()
    )


class DigipuntFilterSet(WagtailFilterSet):
    municipality = _municipality_filter()
    cluster = _cluster_filter()
    organisation = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=Organisation.objects.all()
    )
    is_demo = django_filters.BooleanFilter(label=_("Voorbeeldgegevens"), widget=BooleanRadioSelect)

    class Meta:
        model = Digipunt
        fields = []


class MobileVisitFilterSet(WagtailFilterSet):
    municipality = _municipality_filter()
    cluster = _cluster_filter()
    date = django_filters.DateFromToRangeFilter(label=_("Datum"), widget=DateRangePickerWidget)

    class Meta:
        model = MobileVisit
        fields = []


class MunicipalityFilterSet(WagtailFilterSet):
    cluster = django_filters.ChoiceFilter(
        label=_("Digibank"),
        choices=CLUSTER_CHOICES,
        widget=forms.RadioSelect,
        empty_label=_("Alle"),
    )

    class Meta:
        model = Municipality
        fields = []


# --- viewsets --------------------------------------------------------------------------------


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    form_class = OrganisationForm
    copy_view_enabled = False
    list_display = ["name", Column("kind", accessor="get_kind_display", label=_("Soort"))]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]

    def get_form_class(self, for_update=False):
        return OrganisationForm


class DigipuntViewSet(ModelViewSet):
    model = Digipunt
    icon = "site"
    copy_view_enabled = False
    list_display = [
        "name",
        Column("municipality", label=_("Gemeente"), sort_key="municipality__name"),
        Column("cluster", accessor="municipality.get_cluster_display", label=_("Digibank")),
        Column("organisation", label=_("Partner"), sort_key="organisation__name"),
        Column(
            "services",
            accessor=lambda row: ", ".join(service_labels(row.services)),
            label=_("Hulp bij"),
        ),
        BooleanColumn("is_demo", label=_("Voorbeeld")),
    ]
    filterset_class = DigipuntFilterSet
    search_fields = ["name", "street", "municipality__name", "organisation__name"]
    search_backend_name = None
    ordering = ["municipality__name", "name"]

    def get_index_view_kwargs(self, **kwargs):
        # One query for the page of rows, not one per row for its municipality and partner.
        return super().get_index_view_kwargs(
            queryset=Digipunt.objects.select_related("municipality", "organisation"), **kwargs
        )

    def get_form_class(self, for_update=False):
        return DigipuntForm


class MobileVisitViewSet(ModelViewSet):
    model = MobileVisit
    icon = "date"
    menu_label = _("Mobiele dienst")
    copy_view_enabled = True  # the same stop next week is the common case
    list_display = [
        "village",
        DateColumn("date", label=_("Datum")),
        Column("start", label=_("Van")),
        Column("end", label=_("Tot")),
        Column("municipality", label=_("Gemeente"), sort_key="municipality__name"),
        Column("place", label=_("Plaats")),
    ]
    filterset_class = MobileVisitFilterSet
    search_fields = ["village", "place", "municipality__name"]
    search_backend_name = None
    ordering = ["-date", "start"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=MobileVisit.objects.select_related("municipality", "organisation"), **kwargs
        )

    def get_form_class(self, for_update=False):
        return MobileVisitForm


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    icon = "globe"
    copy_view_enabled = False
    list_display = [
        "name",
        "slug",
        Column("cluster", accessor="get_cluster_display", label=_("Digibank")),
    ]
    filterset_class = MunicipalityFilterSet
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]

    def get_form_class(self, for_update=False):
        return MunicipalityForm


class CatalogueViewSetGroup(ModelViewSetGroup):
    menu_label = _("Partners en Digipunten")
    menu_icon = "site"
    menu_order = 310
    items = (
        DigipuntViewSet("digipunten"),
        MobileVisitViewSet("mobiele-dienst"),
        OrganisationViewSet("partners"),
        MunicipalityViewSet("gemeenten"),
    )


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return CatalogueViewSetGroup()


@hooks.register(ROLES_HOOK)
def staff_keep_digipunten_up_to_date(groups):
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue",
        codename__in=[
            f"{action}_{model}" for model, actions in ROLE_PERMISSIONS.items() for action in actions
        ],
    )
    for name in (ADMINISTRATOR, TRAINER, REVIEWER):
        groups[name].permissions.add(*permissions)


# --- the partner catalogue: entries, import and partner editors (catalogue/admin_views.py) ----

from django.contrib.auth.models import Group  # noqa: E402

from catalogue import admin_reports, admin_views  # noqa: E402
from catalogue.services import PARTNER_EDITOR  # noqa: E402

# Entry permissions per role. Partner editors are limited to their own organisation by the
# views and services (PartnerEditor links a user to it); only administrators delete (an entry
# is normally withdrawn, not deleted). Publishing is for reviewers and administrators.
CATALOGUE_ENTRY_PERMISSIONS = {
    PARTNER_EDITOR: ["add", "change", "view"],
    REVIEWER: ["add", "change", "view"],
    ADMINISTRATOR: ["add", "change", "delete", "view"],
}


@hooks.register("register_admin_viewset")
def register_catalogue_entry_viewset():
    return admin_views.ENTRIES_VIEWSET


@hooks.register("register_admin_urls")
def register_catalogue_import_urls():
    return admin_views.admin_urls()


@hooks.register("construct_homepage_panels")
def catalogue_review_panels(request, panels):
    """Reviewers see what waits for them; partner editors the outcome of their entries."""
    panels.extend(admin_views.dashboard_panels(request.user))


@hooks.register("register_admin_menu_item")
def register_partner_catalogue_menu():
    return admin_views.catalogue_menu_item()


@hooks.register(ROLES_HOOK)
def partner_editors_and_reviewers_keep_the_catalogue(groups):
    """Creates the "Partner editor" group (admin access + entries) next to the staff roles."""
    editors, _created = Group.objects.get_or_create(name=PARTNER_EDITOR)
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    roles = {**groups, PARTNER_EDITOR: editors}
    for name, actions in CATALOGUE_ENTRY_PERMISSIONS.items():
        roles[name].permissions.add(
            *Permission.objects.filter(
                content_type__app_label="catalogue",
                codename__in=[f"{action}_catalogueentry" for action in actions],
            )
        )


@hooks.register("construct_reports_menu")
def partners_see_no_reports(request, menu_items):
    """The reports list every organisation's changes: hidden from partner editors (and
    refused by ``catalogue.admin_reports.PartnerReportsMiddleware``)."""
    if admin_reports.only_a_partner_editor(request.user):
        menu_items.clear()
