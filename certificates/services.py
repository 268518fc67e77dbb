"""Every write about certificates. Keyword-only, one transaction each."""

import contextlib
import logging
import re
import unicodedata

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from certificates import codes, pdf
from certificates.models import NAME_MAX_LENGTH, Certificate
from courses.models import ModulePage
from learning import selectors
from learning.models import Learner
from toolkit.storage import STORAGE_ERRORS, StorageUnavailable

logger = logging.getLogger(__name__)
MARKUP = re.compile(r"[<>{}\\]")
# Characters nobody sees but that change what a printed name says or how it compares:
# control characters (Cc), format characters such as bidi overrides and isolates
# (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) and zero-width ones (U+200B–U+200D,
# U+2060, U+FEFF) (Cf), surrogates (Cs), private use (Co), and noncharacters and unassigned
# code points (Cn). "Jan \u202esreteeP" would otherwise print as "Jan Peeters".
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class ModuleNotComplete(Exception):
    """The learner has not passed every lesson of the module yet."""


class InvalidName(ValueError):
    """``reason`` is one of TOO_LONG, MARKUP, HIDDEN, so the form can say what to change."""

    TOO_LONG = "too_long"
    MARKUP = "markup"
    HIDDEN = "hidden"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def name_clean(raw: str) -> str:
    """The name as the learner wants it printed: NFC, trimmed, single spaces, plain text.

    Markup characters and hidden characters are refused rather than removed or escaped:
    the learner must see exactly what will be printed, and the PDF can never be styled or
    scripted from this field (the template escapes it as well). NFC makes "Anaïs" typed
    with a separate accent the same text as "Anaïs" typed with one key.
    """
    name = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if any(unicodedata.category(character) in HIDDEN_CATEGORIES for character in name):
        raise InvalidName(InvalidName.HIDDEN)
    if MARKUP.search(name):
        raise InvalidName(InvalidName.MARKUP)
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidName(InvalidName.TOO_LONG)
    return name


@transaction.atomic
def certificate_issue(
    *, learner: Learner, module: ModulePage, name_printed: str = ""
) -> Certificate:
    """Issue the certificate for a completed module, once per learner and module.

    Asking again returns the certificate already issued (its name stays as printed; the
    learner corrects it with ``certificate_rename``). A revoked one is returned too: a
    trainer's revocation is not undone by asking again. Two requests at the same moment
    also end with one certificate: the unique constraint decides, and the loser returns
    the winner's row.
    """
    existing = _current(learner=learner, module=module)
    if existing is not None:
        return existing
    if not selectors.module_summary(learner, module).is_completed:
        raise ModuleNotComplete(module.pk)
    certificate = _create(
        learner=learner,
        module=module,
        module_title=module.title,
        competences=list(module.competences),
        level=module.level,
        outcomes=module.outcome_lines,
        name_printed=name_clean(name_printed),
    )
    return certificate or _current(learner=learner, module=module)


def _current(*, learner: Learner, module: ModulePage) -> Certificate | None:
    """The valid certificate if there is one, else the latest revoked one."""
    return (
        Certificate.objects.filter(learner=learner, module=module)
        .order_by(F("revoked_at").asc(nulls_first=True), "-issued_at", "-pk")
        .first()
    )


def _create(**fields) -> Certificate | None:
    """A new certificate with a fresh code; None if a valid one for the same learner and
    module was committed in the meantime (the unique constraint said so)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(code=codes.generate(), **fields)
        except IntegrityError:
            if (
                fields["module"] is not None
                and Certificate.objects.valid()
                .filter(learner=fields["learner"], module=fields["module"])
                .exists()
            ):
                return None
            # Otherwise the random code collided (about 1 in 36 quadrillion): draw again.
    raise RuntimeError("could not draw a unique certificate code")


class CertificateRevoked(Exception):
    """The certificate is revoked already: it cannot be renamed or revoked again."""


RENAMED = "naam verbeterd"


@transaction.atomic
def certificate_rename(*, certificate: Certificate, name_printed: str) -> Certificate:
    """The learner corrects the printed name: the certificate is replaced by a new one.

    A printed certificate cannot be changed, so its code must not start confirming a
    different name: the old certificate is revoked ("naam verbeterd") and points to its
    replacement, and its stored PDF is removed after the commit. The new certificate has a
    new code and the same snapshots (title, competences, level, outcomes) as the old one,
    not the module's current ones: the achievement is the same, only the name changed.
    The same name again changes nothing.
    """
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.is_revoked:
        raise CertificateRevoked(old.pk)
    name = name_clean(name_printed)
    if name == old.name_printed:
        return old
    certificate_revoke(certificate=old, by=None, reason=RENAMED)
    new = _create(
        learner=old.learner,
        module=old.module,
        module_title=old.module_title,
        competences=list(old.competences),
        level=old.level,
        outcomes=old.outcomes,
        name_printed=name,
    )
    if new is None:  # only the row lock above stands between us and this
        raise RuntimeError("a valid certificate appeared while renaming")
    Certificate.objects.filter(pk=old.pk).update(replaced_by=new)
    old_code = old.code
    transaction.on_commit(lambda: _stored_pdfs_delete([old_code]))
    return new


# Audit log actions (Wagtail's log entries; labels registered in wagtail_hooks.py). The
# reason goes into the entry, so the history keeps every revocation's reason even after a
# restore clears the certificate's own fields.
REVOKED = "certificates.revoke"
RESTORED = "certificates.restore"
REASON_MAX_LENGTH = 300


class CertificateValid(Exception):
    """Only a revoked certificate can be made valid again."""


class NotRestorable(Exception):
    """A revocation the admin cannot undo. ``reason`` says why, so the admin can explain:

    REPLACED: the learner corrected the name; the new certificate took this one's place.
    NO_LEARNER: the learner's account was deleted; their certificates stay withdrawn.
    OTHER_VALID: the learner holds another valid certificate for this module (one each).
    """

    REPLACED = "replaced"
    NO_LEARNER = "no_learner"
    OTHER_VALID = "other_valid"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())[:REASON_MAX_LENGTH]
    if not reason:
        # Every change of a certificate's status is explained in the log.
        raise ValueError("a reason is required")
    return reason


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Withdraw a valid certificate: its check page and its Open Badge say revoked at once.

    A certificate that is already revoked raises ``CertificateRevoked`` and nothing is
    written: its first revocation's date, author and reason stay as they were. The row lock
    makes two staff members revoking at the same moment end with one revocation.
    """
    reason = _reason(reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise CertificateRevoked(certificate.pk)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    log(instance=certificate, action=REVOKED, user=by, data={"reason": reason})
    return certificate


@transaction.atomic
def certificate_restore(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Undo a mistaken revocation: the certificate, its check page and its badge are valid.

    The revocation list of the badges and the check page are computed from ``revoked_at``
    on every request (nothing is cached), so clearing it is all they need. What is cleared
    (date, author, reason of the revocation) is kept in the log entry with the reason for
    restoring. Refused, with nothing written: a valid certificate (``CertificateValid``);
    one replaced after a name correction, one whose learner deleted their account, and one
    whose learner already holds another valid certificate for the module
    (``NotRestorable``).
    """
    reason = _reason(reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_revoked:
        raise CertificateValid(certificate.pk)
    refusal = restore_refusal(certificate)
    if refusal is not None:
        raise NotRestorable(refusal)
    undone = {
        "reason": reason,
        "revoked_at": certificate.revoked_at.isoformat(),
        "revoked_by": certificate.revoked_by_id,
        "revoked_reason": certificate.revoked_reason,
    }
    certificate.revoked_at = None
    certificate.revoked_by = None
    certificate.revoked_reason = ""
    try:
        with transaction.atomic():
            certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    except IntegrityError as error:
        # Another valid one was committed after the check above (one valid per module).
        raise NotRestorable(NotRestorable.OTHER_VALID) from error
    log(instance=certificate, action=RESTORED, user=by, data=undone)
    return certificate


def restore_refusal(certificate: Certificate) -> str | None:
    """Why this revoked certificate cannot be made valid again (a NotRestorable reason),
    or None when it can. The admin asks first, so it shows no button that cannot work."""
    if certificate.is_replaced:
        return NotRestorable.REPLACED
    if certificate.learner_id is None:
        return NotRestorable.NO_LEARNER
    if (
        certificate.module_id is not None
        and Certificate.objects.valid()
        .filter(learner_id=certificate.learner_id, module_id=certificate.module_id)
        .exclude(pk=certificate.pk)
        .exists()
    ):
        return NotRestorable.OTHER_VALID
    return None


@transaction.atomic
def certificates_move_on_merge(*, source: Learner, target: Learner) -> None:
    """Two learners become one (a login, a learning card): certificates stay with the person.

    Where both already have a valid one for the same module, the target keeps theirs; the
    source's stays valid as printed, without a learner (one valid certificate per learner and
    module). Revoked ones (history) all move.
    """
    held = (
        Certificate.objects.valid().filter(learner=target, module__isnull=False).values("module_id")
    )
    Certificate.objects.filter(learner=source).exclude(
        revoked_at__isnull=True, module_id__in=held
    ).update(learner=target)


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
            # A trainer may have revoked it since the list was read; that revocation stays.
            with contextlib.suppress(CertificateRevoked):
                certificate_revoke(certificate=certificate, by=None, reason=reason)
    Certificate.objects.filter(learner=learner).update(learner=None, name_printed="")
    codes = [certificate.code for certificate in certificates]
    if codes:
        transaction.on_commit(lambda: _stored_pdfs_delete(codes))


def certificate_pdf_stored(*, certificate: Certificate) -> bytes:
    """The certificate's PDF from private storage, rendered and stored on the first request.

    Concurrent first downloads (a double tap, a slow phone retrying) must not each render
    and store a file: storage.save() would keep every copy under a new name. The one that
    finds no file takes the certificate's row lock (on SQLite the IMMEDIATE transaction
    takes the database's write lock), looks again, and only then renders; the others wait
    for it and read its file. Files are not transactional, so the check is repeated under
    the lock rather than trusted from before it.

    Raises ``StorageUnavailable`` when the storage cannot be reached (the view says so
    in plain words); the lock's transaction is rolled back, nothing half-stored remains.
    """
    storage = storages["certificates"]
    name = pdf.stored_name(certificate)
    try:
        content = _stored_pdf_read(storage, name)
        if content is not None:
            return content
        with transaction.atomic():
            Certificate.objects.select_for_update().get(pk=certificate.pk)
            content = _stored_pdf_read(storage, name)
            if content is None:
                content = pdf.certificate_pdf_render(certificate)
                storage.save(name, ContentFile(content))
    except STORAGE_ERRORS as error:
        logger.warning("certificate PDF storage unavailable: %s", error)
        raise StorageUnavailable from error
    return content


def _stored_pdf_read(storage, name: str) -> bytes | None:
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as stored:
        return stored.read()


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
