"""Admin views for certificates: the detail page, and revoking or restoring with a reason.

Thin: the rules (what may be revoked or restored, what is logged) are in services.py, the
status history comes from selectors.py. A GET only shows; every change is a POST with a
reason, after a page that says what will happen.
"""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, RedirectView
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates import badges, selectors, services
from certificates.forms import RestoreForm, RevokeForm
from certificates.models import Certificate

# What the admin says when a certificate cannot be restored (services.NotRestorable).
RESTORE_REFUSALS = {
    services.NotRestorable.REPLACED: _(
        "De leerder heeft de naam verbeterd. Een nieuw certificaat met een nieuwe "
        "controlecode kwam in de plaats van dit certificaat. Het kan niet opnieuw geldig "
        "worden."
    ),
    services.NotRestorable.NO_LEARNER: _(
        "Het account van de leerder is verwijderd. Dit certificaat kan niet opnieuw geldig worden."
    ),
    services.NotRestorable.OTHER_VALID: _(
        "De leerder heeft al een ander geldig certificaat voor deze module. Er kan maar "
        "één geldig certificaat per module zijn."
    ),
}
ALREADY_REVOKED = _("Dit certificaat is al ingetrokken. Er is niets veranderd.")
ALREADY_VALID = _("Dit certificaat is geldig. Er is niets veranderd.")


def restore_refusal_text(certificate: Certificate):
    """Why restoring cannot work, in words; None when it can (or the certificate is valid)."""
    if not certificate.is_revoked:
        return None
    refusal = services.restore_refusal(certificate)
    return RESTORE_REFUSALS[refusal] if refusal else None


def certificate_urls(certificate: Certificate) -> dict:
    return {
        "detail_url": reverse("certificaten:inspect", args=[certificate.pk]),
        "revoke_url": reverse("certificaten:revoke", args=[certificate.pk]),
        "restore_url": reverse("certificaten:restore", args=[certificate.pk]),
        "verify_url": reverse("certificates:verify", args=[certificate.display_code]),
    }


class CertificateDetailView(generic.InspectView):
    """Everything staff need to decide about one certificate, with the two actions."""

    template_name = "certificates/admin/certificate_detail.html"
    page_title = _("Certificaat")

    def get_edit_url(self):
        return None  # nothing is edited by hand; the actions have their own pages

    def get_delete_url(self):
        return None

    @cached_property
    def header_more_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        context.update(
            certificate_urls(certificate),
            certificate=certificate,
            public_verify_url=badges.verification_url(certificate),
            history=selectors.certificate_status_history(certificate),
            restore_refusal=restore_refusal_text(certificate),
        )
        return context


class StatusChangeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Revoke or restore one certificate: a page that says what will happen, then a POST.

    Subclasses name the form, the service and the messages. When the change does not fit
    the certificate's status (revoked already, valid already, not restorable) the page says
    so and shows no form; a POST that finds it so (another tab, a colleague) writes nothing
    and answers 409 with the same words.
    """

    permission_required = "change"
    model = Certificate
    http_method_names = ["get", "post"]
    template_name = "certificates/admin/certificate_status_change.html"
    header_icon = "tasks"

    @cached_property
    def object(self):
        # Read after the permission check (in get/post), so the answer to someone without
        # the permission never tells whether a certificate exists.
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("certificaten:index"), "label": _("Certificaten")},
            {"url": certificate_urls(self.object)["detail_url"], "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def refusal(self):
        """Why this change cannot be made now, in words; None when it can."""
        raise NotImplementedError

    def change(self, reason):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(refusal=self.refusal()))

    def post(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal is not None:
            return self.render_to_response(self.get_context_data(refusal=refusal), status=409)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            certificate = self.change(form.cleaned_data["reason"])
        except (services.CertificateRevoked, services.CertificateValid):
            # Changed by someone else between refusal() above and the row lock.
            self.object.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(refusal=self.refusal()), status=409
            )
        except services.NotRestorable as error:
            return self.render_to_response(
                self.get_context_data(refusal=RESTORE_REFUSALS[error.reason]), status=409
            )
        messages.success(self.request, self.success_message % {"code": certificate.display_code})
        return redirect(certificate_urls(certificate)["detail_url"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate_urls(self.object),
            certificate=self.object,
            consequences=self.consequences,
            submit_label=self.submit_label,
        )
        return context


class RevokeView(StatusChangeView):
    form_class = RevokeForm
    page_title = _("Intrekken")
    submit_label = _("Ja, trek dit certificaat in")
    success_message = _("Certificaat %(code)s is ingetrokken.")
    consequences = _(
        "Als je dit certificaat intrekt, zegt de controlepagina dat het ingetrokken is. "
        "De Open Badge van dit certificaat staat dan op de lijst van ingetrokken badges. "
        "De leerder kan het certificaat niet meer downloaden. Was het een vergissing? Dan "
        "kan je het certificaat daarna opnieuw geldig maken."
    )

    def refusal(self):
        return ALREADY_REVOKED if self.object.is_revoked else None

    def change(self, reason):
        return services.certificate_revoke(
            certificate=self.object, by=self.request.user, reason=reason
        )


class RestoreView(StatusChangeView):
    form_class = RestoreForm
    page_title = _("Opnieuw geldig maken")
    submit_label = _("Ja, maak dit certificaat opnieuw geldig")
    success_message = _("Certificaat %(code)s is opnieuw geldig.")
    consequences = _(
        "Als je dit certificaat opnieuw geldig maakt, zegt de controlepagina weer dat het "
        "geldig is. De Open Badge staat niet meer op de lijst van ingetrokken badges. De "
        "leerder kan het certificaat weer downloaden. De intrekking blijft in de "
        "geschiedenis staan."
    )

    def refusal(self):
        if not self.object.is_revoked:
            return ALREADY_VALID
        return restore_refusal_text(self.object)

    def change(self, reason):
        return services.certificate_restore(
            certificate=self.object, by=self.request.user, reason=reason
        )


class EditRedirectView(PermissionCheckedMixin, RedirectView):
    """The old revoke address (``edit/<id>/``): it only leads to the detail page now."""

    permission_required = "change"
    model = Certificate
    http_method_names = ["get"]

    def get_redirect_url(self, *args, **kwargs):
        return reverse("certificaten:inspect", args=[kwargs["pk"]])
