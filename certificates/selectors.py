from wagtail.log_actions import registry as log_registry

from certificates import badges, services
from certificates.models import Certificate
from courses.models import ModulePage
from learning import selectors as learning_selectors


def learner_certificates(learner):
    if learner is None:
        return Certificate.objects.none()
    # A certificate replaced by one with a corrected name is history, not "mine" any more
    # (the data export still lists it).
    return Certificate.objects.filter(learner=learner, replaced_by__isnull=True).order_by(
        "-issued_at"
    )


def learner_certificate(learner, code: str) -> Certificate | None:
    if learner is None:
        return None
    return Certificate.objects.filter(learner=learner, code=code).first()


def completed_modules(learner) -> list[dict]:
    """Every module the learner completed, dated by its last completed lesson.

    A module an editor deleted has no lessons to check any more; its valid certificate
    (title, competences and level kept) still counts, dated by its issue.
    """
    modules = ModulePage.objects.learnable().order_by("path")
    gone = [
        {
            "module": None,
            "title": certificate.module_title,
            "competences": certificate.competences,
            "level": certificate.level,
            "completed_at": certificate.issued_at,
        }
        for certificate in Certificate.objects.valid().filter(learner=learner, module__isnull=True)
    ]
    return gone + [
        {
            "module": summary.module,
            "title": summary.module.title,
            "competences": summary.module.competences,
            "level": summary.module.level,
            "completed_at": max(row.completed_at for row in summary.progress.values()),
        }
        for summary in learning_selectors.module_summaries(learner, modules)
        if summary.is_completed
    ]


def revoked_certificate_codes() -> list[str]:
    """The codes of every revoked certificate, for the badges' public revocation list."""
    return list(
        Certificate.objects.filter(revoked_at__isnull=False)
        .order_by()
        .values_list("code", flat=True)
    )


# Module ids are positive 32-bit integers in every supported database; a longer number in
# an address is no module and must not reach the query (SQLite overflows on it).
_MAX_MODULE_ID = 2**31 - 1


def certificate_for_achievement(key: str) -> Certificate | None:
    """The newest certificate whose badge names the achievement ``key``, or None.

    ``key`` is the module id, or for a deleted module the slug of its title (see
    ``badges.achievement_key``). The Achievement is served from this certificate's
    snapshot, so the address only answers for achievements actually awarded, and says what
    the newest badge says.
    """
    newest = Certificate.objects.order_by("-issued_at", "-pk")
    if key.isascii() and key.isdigit() and 0 < int(key) <= _MAX_MODULE_ID:
        found = newest.filter(module_id=int(key)).first()
        if found is not None:
            return found
    titles = (
        Certificate.objects.filter(module__isnull=True)
        .order_by()
        .values_list("module_title", flat=True)
        .distinct()
    )
    matching = [title for title in titles if badges.achievement_key_for_title(title) == key]
    if not matching:
        return None
    return newest.filter(module__isnull=True, module_title__in=matching).first()


def certificate_status_history(certificate: Certificate):
    """Every revocation and restoration of ``certificate``, newest first, with who did it.

    From Wagtail's log entries (services.REVOKED and services.RESTORED), so the reason of a
    revocation that was undone is still there.
    """
    return (
        log_registry.get_logs_for_instance(certificate)
        .filter(action__in=[services.REVOKED, services.RESTORED])
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
