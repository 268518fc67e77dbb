"""Every write about certificates. Keyword-only, one transaction each."""

import logging
import re

from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import codes
from certificates.models import NAME_MAX_LENGTH, Certificate
from courses.models import ModulePage
from learning import selectors
from learning.models import Learner

logger = logging.getLogger(__name__)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f<>{}\\]")


class ModuleNotComplete(Exception):
    """The learner has not passed every lesson of the module yet."""


class InvalidName(ValueError):
    pass


def name_clean(raw: str) -> str:
    """The name as the learner wants it printed: trimmed, single spaces, plain text only.

    Markup characters are refused rather than escaped, so the PDF can never be styled
    or scripted from this field; the template escapes it as well.
    """
    name = " ".join((raw or "").split())
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidName(f"too long: {len(name)}")
    if CONTROL_CHARACTERS.search(name):
        raise InvalidName("markup or control characters")
    return name


@transaction.atomic
def certificate_issue(
    *, learner: Learner, module: ModulePage, name_printed: str = ""
) -> Certificate:
    """Issue the certificate for a completed module, once per learner and module.

    Asking again returns the certificate already issued (its name stays as printed). Two
    requests at the same moment also end with one certificate: the unique constraint
    decides, and the loser returns the winner's row.
    """
    existing = Certificate.objects.filter(learner=learner, module=module).first()
    if existing is not None:
        return existing
    if not selectors.module_summary(learner, module).is_completed:
        raise ModuleNotComplete(module.pk)
    name = name_clean(name_printed)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    learner=learner,
                    module=module,
                    module_title=module.title,
                    competences=list(module.competences),
                    level=module.level,
                    outcomes=module.outcome_lines,
                    name_printed=name,
                    code=codes.generate(),
                )
        except IntegrityError:
            existing = Certificate.objects.filter(learner=learner, module=module).first()
            if existing is not None:
                return existing
            # Otherwise the random code collided (about 1 in 36 quadrillion): draw again.
    raise RuntimeError("could not draw a unique certificate code")


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Withdraw a certificate. The first revocation's date and author are kept."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return certificate


@transaction.atomic
def certificates_move_on_merge(*, source: Learner, target: Learner) -> None:
    """Two learners become one (a login, a learning card): certificates stay with the person.

    Where both already have one for the same module, the target keeps theirs; the source's
    stays valid as printed, without a learner (one certificate per learner and module).
    """
    held = Certificate.objects.filter(learner=target, module__isnull=False).values("module_id")
    Certificate.objects.filter(learner=source).exclude(module_id__in=held).update(learner=target)


@transaction.atomic
def certificates_withdraw_for_learner(*, learner: Learner, reason: str) -> None:
    """The learner's account is being deleted: revoke their certificates and drop the name.

    The certificates stay as revoked records, so a printed one shown later is reported as
    withdrawn rather than unknown; the printed name is personal data and goes. Stored PDFs
    (which show the name) are removed once the deletion is committed.
    """
    certificates = list(Certificate.objects.filter(learner=learner))
    for certificate in certificates:
        if not certificate.is_revoked:
            certificate_revoke(certificate=certificate, by=None, reason=reason)
    Certificate.objects.filter(learner=learner).update(learner=None, name_printed="")
    codes = [certificate.code for certificate in certificates]
    if codes:
        transaction.on_commit(lambda: _stored_pdfs_delete(codes))


def _stored_pdfs_delete(codes: list[str]) -> None:
    """Best effort after commit: files are not part of the transaction, the learner is gone."""
    storage = storages["certificates"]
    prefixes = tuple(f"{code}-" for code in codes)
    try:
        _dirs, files = storage.listdir("")
        for name in files:
            if name.startswith(prefixes):
                storage.delete(name)
    except Exception:  # storage backends raise many kinds of errors
        logger.exception("Could not delete stored certificate PDFs of a deleted learner")
