"""Thin views: a learner's certificates, their PDFs and badges, and public verification."""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates import badges, codes, pdf, selectors, services
from certificates.forms import CertificateNameForm, VerifyForm
from certificates.models import Certificate
from courses.models import ModulePage
from learning import selectors as learning_selectors
from learning.middleware import get_learner
from toolkit.ratelimit import allow, client_address
from toolkit.storage import StorageUnavailable

# Looked up when a typed code is malformed, so every answer costs one query (no timing hint).
_NO_SUCH_CODE = "0" * codes.LENGTH


@require_http_methods(["GET", "POST"])
def certificate_for_module(request, module_id):
    """ "Download je certificaat": choose the name to print, then get the PDF."""
    module = get_object_or_404(ModulePage.objects.learnable(), pk=module_id)
    learner = get_learner(request)
    summary = learning_selectors.module_summary(learner, module)
    existing = selectors.learner_certificates(learner).filter(module=module).first()
    form = CertificateNameForm(request.POST or None)
    if request.method == "POST" and summary.is_completed and form.is_valid():
        certificate = services.certificate_issue(
            learner=learner, module=module, name_printed=form.cleaned_data["name"]
        )
        return redirect("certificates:pdf", code=certificate.code)
    return render(
        request,
        "certificates/certificate_for_module.html",
        {"module": module, "summary": summary, "certificate": existing, "form": form},
    )


def my_certificates(request):
    learner = get_learner(request)
    return render(
        request,
        "certificates/my_certificates.html",
        {
            "certificates": selectors.learner_certificates(learner),
            "has_completed": bool(learner and selectors.completed_modules(learner)),
        },
    )


def _own_certificate(request, code):
    certificate = selectors.learner_certificate(get_learner(request), code)
    if certificate is None or certificate.is_revoked:
        raise Http404
    return certificate


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def certificate_pdf(request, code):
    certificate = _own_certificate(request, code)
    try:
        content = services.certificate_pdf_stored(certificate=certificate)
    except StorageUnavailable:
        # The file storage is away for a moment: say so, and that the certificate is safe.
        return render(
            request,
            "certificates/certificate_unavailable.html",
            {"certificate": certificate},
            status=503,
        )
    return _pdf_response(content, f"certificaat-{certificate.code}.pdf")


@require_http_methods(["GET", "POST"])
def certificate_rename(request, code):
    """ "Je naam verbeteren": a new certificate with the corrected name replaces this one."""
    certificate = _own_certificate(request, code)
    form = CertificateNameForm(request.POST or None, initial={"name": certificate.name_printed})
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_rename(
                certificate=certificate, name_printed=form.cleaned_data["name"]
            )
        except services.CertificateRevoked as error:  # revoked since the form was shown
            raise Http404 from error
        messages.success(
            request,
            _("Je naam is verbeterd. Je nieuwe certificaat heeft een nieuwe controlecode."),
        )
        return redirect("certificates:mine")
    return render(
        request, "certificates/certificate_rename.html", {"certificate": certificate, "form": form}
    )


@require_GET
def certificate_badge(request, code):
    """The Open Badges 3.0 credential as a signed VC-JWT, for a badge wallet."""
    certificate = _own_certificate(request, code)
    response = HttpResponse(badges.credential_jwt(certificate), content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="open-badge-{certificate.code}.jwt"'
    return response


@require_GET
def skills_overview(request):
    learner = get_learner(request)
    completed = selectors.completed_modules(learner) if learner else []
    if not completed:
        raise Http404
    names = [c.name_printed for c in selectors.learner_certificates(learner) if c.name_printed]
    content = pdf.skills_overview_pdf(completed=completed, name=names[0] if names else "")
    return _pdf_response(content, "mijn-digitale-vaardigheden.pdf")


def _verification_response(request, template, context, status=200):
    response = TemplateResponse(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = codes.normalise(form.cleaned_data["code"])
        return redirect("certificates:verify", code=codes.display(code) if code else "onbekend")
    return _verification_response(request, "certificates/verify_form.html", {"form": form})


@require_GET
def verify(request, code):
    """The same page, status and work for every unknown or malformed code: no hints."""
    if not allow("verify", client_address(request), limit=settings.VERIFY_RATE_LIMIT_PER_MINUTE):
        return _verification_response(request, "certificates/verify_slow_down.html", {}, status=429)
    normalised = codes.normalise(code)
    certificate = Certificate.objects.filter(code=normalised or _NO_SUCH_CODE).first()
    if certificate is None:
        return _verification_response(
            request, "certificates/verify_unknown.html", {"form": VerifyForm()}, status=404
        )
    if code != certificate.display_code:
        return redirect("certificates:verify", code=certificate.display_code)
    return _verification_response(
        request,
        "certificates/verify_result.html",
        {
            "certificate": certificate,
            "competences": pdf.competence_rows(certificate.competences),
            "issuer": settings.ISSUER_NAME,
        },
    )


# --- Open Badges documents that outside verifiers fetch --------------------------------------
# Public and without cookies: a verifier running in a browser on another site (a wallet, a
# validator) must be able to read them. Any origin, never credentials.


def _for_verifiers(view):
    """GET, and the CORS preflight a browser sends first when the GET has other headers
    (an ``Accept`` with a JSON-LD profile is enough)."""
    get_only = require_GET(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "OPTIONS":
            return get_only(request, *args, **kwargs)
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET"
        # "*" means any header only for requests without credentials, which is all we allow.
        response["Access-Control-Allow-Headers"] = "*"
        response["Access-Control-Max-Age"] = "86400"
        return response

    return wrapper


def _badge_document(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_for_verifiers
def issuer_profile(request):
    return _badge_document(badges.issuer_profile())


@_for_verifiers
def issuer_keys(request):
    return _badge_document(badges.public_jwks())


@_for_verifiers
def revocation_list(request):
    """The 1EdTech Revocation List every badge's credentialStatus names: ids only."""
    response = _badge_document(badges.revocation_list(selectors.revoked_certificate_codes()))
    # A revocation must count at once: caches may keep it, but must ask again each time.
    response["Cache-Control"] = "no-cache"
    return response


@_for_verifiers
def achievement(request, key):
    """The Achievement a badge's ``achievement.id`` names, as JSON."""
    certificate = selectors.certificate_for_achievement(key)
    if certificate is None:
        raise Http404
    return _badge_document(badges.achievement_document(certificate))
