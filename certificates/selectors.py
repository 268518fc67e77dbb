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
