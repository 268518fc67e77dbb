"""The partner catalogue in the Wagtail admin: importing a file, and the entries themselves.

- "Catalogus importeren": upload (partner, file, full or partial) -> preview (counts, the
  changes, every bad row with its line and the reason) -> "Toepassen" (POST) -> the result
  on the same page. A partner editor only sees and picks their own organisation.
- The ``CatalogueEntry`` views (registered in wagtail_hooks.py): a partner editor's listing,
  edit, delete and history views only reach their own organisation's entries (another
  organisation's entry is a 404), and only reviewers and administrators publish.

The URLs are registered with the ``register_admin_urls`` hook, so they live under /admin/.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from catalogue import columns, services
from catalogue.demo import DATA_DIR
from catalogue.importing import ACTION_LABELS, MAX_FILE_BYTES, error_location
from catalogue.models import KIND_CHOICES, CatalogueEntry, CatalogueSession, ImportRun, Organisation
from courses.vocabulary import LEVEL_CHOICES

FULL, PARTIAL = "full", "partial"
# The preview lists at most this many changes (the counts are always complete); every error
# is always listed.
CHANGES_SHOWN = 1000
TEMPLATES = {
    "catalogus-sjabloon.csv": "text/csv; charset=utf-8",
    "catalogus-sjabloon.json": "application/json",
}


# --- import --------------------------------------------------------------------------------


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=None,
        error_messages={
            "required": _("Kies een partner."),
            "invalid_choice": _("Kies een partner uit de lijst."),
        },
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een CSV-bestand (uit Excel) of een JSON-bestand, zoals het sjabloon."),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Wat staat er in het bestand?"),
        choices=[
            (
                FULL,
                _(
                    "Ons hele aanbod. Wat niet in het bestand staat, halen we uit het aanbod "
                    "(het wordt ingetrokken, niet gewist)."
                ),
            ),
            (PARTIAL, _("Alleen nieuw of aangepast aanbod. De rest blijft zoals het is.")),
        ],
        initial=FULL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = services.catalogue_user_organisations(user).order_by("name")
        self.fields["organisation"].queryset = organisations
        if len(organisations[:2]) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise ValidationError(
                _("Het bestand is te groot: hoogstens %(mb)s MB."), params={"mb": limit}
            )
        if not upload.name.lower().endswith((".csv", ".json", ".txt")):
            raise ValidationError(
                _(
                    "Kies een CSV- of JSON-bestand. Een Excel-bestand bewaar je eerst als "
                    "'CSV UTF-8'."
                )
            )
        return upload


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not services.catalogue_user_may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def runs(self):
        organisations = services.catalogue_user_organisations(self.request.user)
        return ImportRun.objects.filter(organisation__in=organisations).select_related(
            "organisation", "user"
        )


class ImportUploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "catalogue/admin/import_upload.html"
    form_class = ImportForm
    page_title = _("Catalogus importeren")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_runs"] = self.runs().defer("rows", "changes", "errors")[:10]
        context["templates"] = list(TEMPLATES)
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = b"".join(upload.chunks())
        run = services.catalogue_import_preview(
            organisation=form.cleaned_data["organisation"],
            filename=upload.name,
            content=content,
            full=form.cleaned_data["scope"] == FULL,
            user=self.request.user,
        )
        return redirect("catalogue_import_preview", pk=run.pk)


class ImportPreviewView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "catalogue/admin/import_preview.html"
    page_title = _("Catalogus importeren")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("catalogue_import"), "label": _("Catalogus importeren")},
            {"url": "", "label": self.run.filename},
        ]

    def dispatch(self, request, *args, pk, **kwargs):
        if not services.catalogue_user_may_import(request.user):
            raise PermissionDenied
        self.run = get_object_or_404(self.runs().defer("rows"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.run.filename

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        errors = [
            {**error, "where": error_location(error, run.file_format)} for error in run.errors
        ]
        changes = [
            {**change, "label": ACTION_LABELS[change["action"]]}
            for change in run.changes[:CHANGES_SHOWN]
        ]
        context.update(
            run=run,
            errors=errors,
            bad_lines=len({error["line"] for error in run.errors if error["line"]}),
            changes=changes,
            changes_hidden=max(0, len(run.changes) - CHANGES_SHOWN),
            nothing_to_do=not (run.created or run.changed or run.withdrawn),
            can_apply=run.applied_at is None and not run.errors,
            publishes=services.catalogue_user_may_publish(self.request.user),
            location_word="item" if run.file_format == "json" else "regel",
        )
        return context


class ImportApplyView(ImportPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        run = get_object_or_404(self.runs().defer("rows", "changes", "errors"), pk=pk)
        try:
            run = services.catalogue_import_apply(run=run, user=request.user)
        except services.CatalogueRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Toegepast: %(created)s nieuw, %(changed)s aangepast, "
                    "%(withdrawn)s ingetrokken, %(unchanged)s niet veranderd."
                )
                % {
                    "created": run.created,
                    "changed": run.changed,
                    "withdrawn": run.withdrawn,
                    "unchanged": run.unchanged,
                },
            )
        return redirect("catalogue_import_preview", pk=pk)


def import_template(request, name):
    """The empty template partners fill in (catalogue/data/catalogus-sjabloon.*)."""
    if not services.catalogue_user_may_import(request.user):
        raise PermissionDenied
    if name not in TEMPLATES:
        raise Http404
    return FileResponse(
        (DATA_DIR / name).open("rb"),
        as_attachment=True,
        filename=name,
        content_type=TEMPLATES[name],
    )


def admin_urls():
    return [
        path("aanbod-importeren/", ImportUploadView.as_view(), name="catalogue_import"),
        path(
            "aanbod-importeren/<int:pk>/",
            ImportPreviewView.as_view(),
            name="catalogue_import_preview",
        ),
        path(
            "aanbod-importeren/<int:pk>/toepassen/",
            ImportApplyView.as_view(),
            name="catalogue_import_apply",
        ),
        path(
            "aanbod-importeren/<str:name>",
            import_template,
            name="catalogue_import_template",
        ),
    ]


# --- entries -------------------------------------------------------------------------------


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
        fields = [
            "organisation",
            "external_id",
            "title",
            "summary",
            "kind",
            "competences",
            "level",
            "language",
            "digipunt",
            "address",
            "municipality",
            "online",
            "signup",
            "url",
            "accessibility",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            name: {"required": _("Vul dit in.")}
            for name in ("organisation", "external_id", "title", "summary", "kind")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        organisations = services.catalogue_user_organisations(user).order_by("name")
        self.fields["organisation"].queryset = organisations
        if len(organisations[:2]) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].empty_label = None
        if self.instance.pk:
            self.fields["price"].initial = columns.format_price(self.instance.price_cents)
            self.fields["dates"].initial = "\n".join(
                columns.format_session(session.starts_at, session.ends_at)
                for session in self.instance.sessions.all()
            )
        else:
            self.fields["price"].initial = "gratis"

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
        if not (cleaned.get("online") or cleaned.get("digipunt") or cleaned.get("municipality")):
            self.add_error(
                "municipality",
                _("Waar gaat het door? Kies een Digipunt of een gemeente, of vink online aan."),
            )
        return cleaned

    def save(self, commit=True):
        entry = super().save(commit=False)
        entry.price_cents = self.cleaned_data["price"]
        if entry.digipunt_id and not entry.municipality_id:
            entry.municipality_id = entry.digipunt.municipality_id
        if not services.catalogue_user_may_publish(getattr(self, "for_user", None)):
            # A partner's new or changed entry waits for a reviewer.
            entry.status = CatalogueEntry.DRAFT
        if commit:
            with transaction.atomic():
                entry.save()
                self.save_m2m()
                sessions = self.cleaned_data["dates"]
                stored = [(s.starts_at, s.ends_at) for s in entry.sessions.all()]
                if sorted(stored) != sorted(sessions):
                    entry.sessions.all().delete()
                    CatalogueSession.objects.bulk_create(
                        CatalogueSession(entry=entry, starts_at=start, ends_at=end)
                        for start, end in sessions
                    )
        return entry


class ScopedEntriesMixin:
    """Only the entries the user may reach; anything else is a 404."""

    def scoped_entries(self):
        return services.catalogue_user_entries(self.request.user)


class EntryIndexView(ScopedEntriesMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_entries().select_related("organisation")


class EntryEditView(ScopedEntriesMixin, generic.EditView):
    publish_url_name = None

    def get_queryset(self):
        return self.scoped_entries()

    def get_header_more_buttons(self):
        buttons = list(super().get_header_more_buttons())
        if (
            services.catalogue_user_may_publish(self.request.user)
            and self.object.status != CatalogueEntry.PUBLISHED
            and self.object.withdrawn_at is None
        ):
            buttons.append(
                Button(
                    _("Publiceren"),
                    url=reverse(self.publish_url_name, args=[self.object.pk]),
                    icon_name="upload",
                    priority=5,
                )
            )
        return sorted(buttons)


class EntryDeleteView(ScopedEntriesMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped_entries()


class EntryHistoryView(ScopedEntriesMixin, HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_entries()


class EntryUsageView(ScopedEntriesMixin, UsageView):
    def get_base_object_queryset(self):
        return self.scoped_entries()


class EntryPublishView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks to confirm; POST publishes. Only for reviewers and administrators."""

    template_name = "catalogue/admin/publish_confirm.html"
    page_title = _("Publiceren")
    header_icon = "upload"
    edit_url_name = None
    index_url_name = None

    def dispatch(self, request, *args, pk, **kwargs):
        if not services.catalogue_user_may_publish(request.user):
            raise PermissionDenied
        self.entry = get_object_or_404(services.catalogue_user_entries(request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.entry.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Aanbod van partners")},
            {"url": reverse(self.edit_url_name, args=[self.entry.pk]), "label": self.entry.title},
            {"url": "", "label": _("Publiceren")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entry=self.entry,
            edit_url=reverse(self.edit_url_name, args=[self.entry.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.catalogue_entry_publish(entry=self.entry, user=request.user)
        except services.CatalogueRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("'%(title)s' is gepubliceerd.") % {"title": self.entry})
        return redirect(self.index_url_name)


class CatalogueEntryPermissionPolicy(ModelPermissionPolicy):
    """Django's add/change/delete/view permissions, and for one entry: the user's own scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and services.catalogue_user_entries(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return CatalogueEntry.objects.none()
        return services.catalogue_user_entries(user)


register_permission_policy(CatalogueEntry, CatalogueEntryPermissionPolicy(CatalogueEntry))


def _own_organisations(request):
    if request is None:
        return Organisation.objects.none()
    return services.catalogue_user_organisations(request.user)


class EntryFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=_own_organisations)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CatalogueEntry.STATUS_CHOICES,
        widget=forms.RadioSelect,
        empty_label=_("Alle"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=KIND_CHOICES, widget=forms.RadioSelect, empty_label=_("Alle")
    )
    withdrawn = django_filters.BooleanFilter(
        label=_("Ingetrokken"),
        field_name="withdrawn_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.RadioSelect(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nee"))]),
    )

    class Meta:
        model = CatalogueEntry
        fields = []


class CatalogueEntryViewSet(ModelViewSet):
    model = CatalogueEntry
    icon = "list-ul"
    menu_label = _("Aanbod van partners")
    add_to_admin_menu = False  # in the "Aanbod van partners" submenu, with the import
    form_class = CatalogueEntryForm
    index_view_class = EntryIndexView
    edit_view_class = EntryEditView
    delete_view_class = EntryDeleteView
    history_view_class = EntryHistoryView
    usage_view_class = EntryUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("organisation", label=_("Partner"), sort_key="organisation__name"),
        Column("kind", accessor="get_kind_display", label=_("Soort")),
        Column("status", accessor="get_status_display", label=_("Status")),
        BooleanColumn(
            "withdrawn",
            accessor=lambda entry: entry.withdrawn_at is not None,
            label=_("Ingetrokken"),
        ),
        DateColumn("updated_at", label=_("Bijgewerkt")),
    ]
    # The order of the form: what, for whom, where, when.
    panels = [
        FieldPanel(name)
        for name in (
            "organisation",
            "external_id",
            "title",
            "summary",
            "kind",
            "competences",
            "level",
            "language",
            "price",
            "digipunt",
            "address",
            "municipality",
            "online",
            "dates",
            "signup",
            "url",
            "accessibility",
        )
    ]
    filterset_class = EntryFilterSet
    search_fields = ["title", "external_id", "summary"]
    search_backend_name = None
    ordering = ["title"]

    def get_form_class(self, for_update=False):
        return CatalogueEntryForm

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(publish_url_name=self.get_url_name("publish"), **kwargs)

    @property
    def publish_view(self):
        return EntryPublishView.as_view(
            edit_url_name=self.get_url_name("edit"), index_url_name=self.get_url_name("index")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("publish/<int:pk>/", self.publish_view, name="publish"),
        ]


ENTRIES_VIEWSET = CatalogueEntryViewSet("aanbod")


class EntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return CatalogueEntryPermissionPolicy(CatalogueEntry).user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return services.catalogue_user_may_import(request.user)


def catalogue_menu_item():
    return SubmenuMenuItem(
        _("Aanbod van partners"),
        Menu(
            items=[
                EntriesMenuItem(
                    _("Aanbod"), reverse_lazy("aanbod:index"), icon_name="list-ul", order=100
                ),
                ImportMenuItem(
                    _("Catalogus importeren"),
                    reverse_lazy("catalogue_import"),
                    icon_name="upload",
                    order=200,
                ),
            ]
        ),
        icon_name="list-ul",
        order=320,
    )
