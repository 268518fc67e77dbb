"""Importing a partner's catalogue file in the admin ("Catalogus importeren").

Upload (partner, file, full or partial) -> preview (counts, the changes, every bad row with
its line and the reason) -> "Toepassen" (POST) -> the result on the same page. A partner
editor only sees and picks their own organisation. Reading and checking the file is
catalogue/importing.py; storing and applying it, catalogue/services.py.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import exports, services
from catalogue.admin_views.scope import limit_to_own_organisations
from catalogue.demo import DATA_DIR
from catalogue.importing import ACTION_LABELS, MAX_FILE_BYTES, bad_lines, error_location
from catalogue.models import CatalogueEntry, ImportRun

FULL, PARTIAL = "full", "partial"
# The preview lists at most this many changes (the counts are always complete); every error
# is always listed.
CHANGES_SHOWN = 1000
TEMPLATES = {
    "catalogus-sjabloon.csv": "text/csv; charset=utf-8",
    "catalogus-sjabloon.json": "application/json",
}


# --- the upload, the preview and applying -------------------------------------------------


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
    # Adding or updating is the default: a file of five new courses must never withdraw
    # everything else by accident. A full replace is chosen on purpose, and the preview
    # asks to confirm how many entries it withdraws (``ImportApplyView``).
    scope = forms.ChoiceField(
        label=_("Wat staat er in het bestand?"),
        choices=[
            (PARTIAL, _("Alleen nieuw of aangepast aanbod. De rest blijft zoals het is.")),
            (
                FULL,
                _(
                    "Ons hele aanbod. Wat niet in het bestand staat, halen we uit het aanbod "
                    "(het wordt ingetrokken, niet gewist)."
                ),
            ),
        ],
        initial=PARTIAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_own_organisations(self.fields["organisation"], user)

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
        context["organisations"] = services.catalogue_user_organisations(
            self.request.user
        ).order_by("name")
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
            bad_lines=bad_lines(run.errors),
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
        if run.withdrawn and request.POST.get("intrekken") != str(run.withdrawn):
            # The count the partner confirmed must be the count that will be withdrawn.
            messages.error(
                request, _("Vink eerst het vakje aan: dan halen we dat aanbod uit de catalogus.")
            )
            return redirect("catalogue_import_preview", pk=run.pk)
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


@require_GET
def current_offer(request, organisation_id):
    """ "Download ons huidige aanbod": the partner's entries in the import format, so that
    changing a few rows in Excel and uploading the file again changes only those rows."""
    if not services.catalogue_user_may_import(request.user):
        raise PermissionDenied
    organisation = get_object_or_404(
        services.catalogue_user_organisations(request.user), pk=organisation_id
    )
    entries = (
        CatalogueEntry.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
        .select_related("organisation", "digipunt", "municipality")
        .prefetch_related("sessions")
        .order_by("external_id")
    )
    response = HttpResponse(exports.csv_text(entries), content_type="text/csv; charset=utf-8")
    name = slugify(organisation.name) or "partner"
    response["Content-Disposition"] = f'attachment; filename="aanbod-{name}.csv"'
    return response


def admin_urls():
    return [
        path(
            "aanbod-importeren/huidig-aanbod/<int:organisation_id>/",
            current_offer,
            name="catalogue_import_current",
        ),
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
