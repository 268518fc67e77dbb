"""H5P packages in the Wagtail admin ("H5P-pakketten", a snippet so lesson steps can choose one).

Adding a package is an upload: the file is checked first (courses.h5p.validation) and the
trainer sees either what was found — title, main content type, libraries and versions,
what was measured per content type — or every reason it was refused. Only the title can
be edited afterwards; deleting removes the files with the last package that shares them.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.h5p import measured, services, validation
from courses.h5p.models import H5PPackage
from toolkit.storage import StorageUnavailable

URL_NAMESPACE = "wagtailsnippets_courses_h5ppackage"
STORAGE_UNAVAILABLE = _(
    "Het pakket kan nu niet worden bewaard. De opslag werkt even niet. "
    "Probeer het over een paar minuten opnieuw."
)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("H5P-bestand"),
        help_text=_("Een .h5p-bestand uit Lumi, Moodle of h5p.org, met de bibliotheken erbij."),
        error_messages={
            "required": _("Kies een .h5p-bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        result = validation.validate(upload)
        if not result.ok:
            raise forms.ValidationError(result.errors)
        self.summary = result.summary
        return upload


class UploadView(WagtailAdminTemplateMixin, FormView):
    template_name = "courses/admin/h5p_upload.html"
    form_class = UploadForm
    page_title = _("H5P-pakket opladen")
    header_icon = "code"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("courses.add_h5ppackage"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["limits"] = validation.limits()
        context["checked_types"] = sorted(
            name for name, row in measured.table().items() if measured.is_measured(name)
        )
        return context

    def form_valid(self, form):
        existing = services.package_find(sha256=form.summary.sha256)
        if existing is not None:
            # The same file again: point to the package that is there, no second copy.
            messages.warning(
                self.request,
                _(
                    "Dit pakket staat er al, met de titel '%(title)s'. Wij maakten geen "
                    "tweede. Kies dat pakket in je les."
                )
                % {"title": existing.title},
            )
            return redirect(reverse(f"{URL_NAMESPACE}:inspect", args=[existing.pk]))
        try:
            package = services.package_store(
                file=form.cleaned_data["file"], uploaded_by=self.request.user
            )
        except services.PackageRefused as refused:
            for message in refused.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        except StorageUnavailable:
            # The bucket is away for a moment: nothing was recorded, the trainer tries again.
            messages.error(self.request, STORAGE_UNAVAILABLE)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Het pakket '%(title)s' is opgeladen.") % {"title": package.title}
        )
        # Skipped files and parts from other sites are said once, now; the package page
        # itself keeps the warning about content types that were not measured.
        warnings = form.summary.warnings
        for warning in warnings[1:] if form.summary.unchecked else warnings:
            messages.warning(self.request, warning)
        return redirect(reverse(f"{URL_NAMESPACE}:inspect", args=[package.pk]))


class H5PPackageViewSet(SnippetViewSet):
    model = H5PPackage
    icon = "code"
    menu_label = _("H5P-pakketten")
    menu_name = "h5p-pakketten"
    add_to_admin_menu = True
    menu_order = 250
    inspect_view_enabled = True
    inspect_template_name = "courses/admin/h5p_inspect.html"
    list_display = [
        "title",
        Column("main_library", label=_("Hoofdbibliotheek")),
        Column("measured_status", label=_("Gemeten"), accessor="measured_status"),
        DateColumn("uploaded_at", label=_("Opgeladen")),
    ]
    search_fields = ["title", "main_library"]
    form_fields = ["title"]

    @property
    def add_view(self):
        return UploadView.as_view()
