"""A learner owns their data: export it, delete it, and retention after two years of disuse.

Keyword-only, one transaction each. ``learner_export`` is a read, but it lives here with the
deletion it mirrors: both must cover exactly the same data, so a new table about learners
is added to both at once.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from courses.models import LessonPage
from learning.models import (
    AssistedSession,
    Attempt,
    Digihelper,
    H5PUserData,
    HelperMandate,
    Learner,
    LearningCard,
    LessonProgress,
    MandateAccessLog,
    RetiredLearnersMonthly,
    SandboxEvent,
    SandboxRun,
    XapiStatement,
)

EXPORT_FORMAT = "digibank-leerplatform/mijn-gegevens"
EXPORT_VERSION = 1

# Activity closer together than this is not written again: a learner who reads ten steps
# in a row costs one UPDATE, not ten. Retention counts in months, so an hour is exact enough.
ACTIVITY_RESOLUTION = timedelta(hours=1)


def _when(value: datetime | None) -> str | None:
    # Belgian time, with its offset: the learner reads these, not only a machine.
    return timezone.localtime(value).isoformat() if value is not None else None


# --- Export ------------------------------------------------------------------------------


def learner_export(*, learner: Learner) -> dict:
    """Everything the platform holds about ``learner``, as plain JSON-ready data.

    Every row is reached through the learner's own relations, so nothing of another learner
    can slip in. Twelve queries at most, however many rows: each relation is prefetched once.
    Never exported: the password hash, the hash of a learning card's code.
    """
    looks = MandateAccessLog.objects.order_by("at")
    learner = (
        Learner.objects.select_related("user", "suggested_module")
        .prefetch_related(
            Prefetch("progress", queryset=LessonProgress.objects.order_by("started_at", "pk")),
            Prefetch("attempts", queryset=Attempt.objects.order_by("created_at", "pk")),
            Prefetch("cards", queryset=LearningCard.objects.order_by("created_at", "pk")),
            Prefetch("statements", queryset=XapiStatement.objects.order_by("created_at", "pk")),
            Prefetch("sandbox_runs", queryset=SandboxRun.objects.order_by("started_at", "pk")),
            Prefetch("sandbox_events", queryset=SandboxEvent.objects.order_by("created_at", "pk")),
            Prefetch(
                "h5p_states",
                queryset=H5PUserData.objects.select_related("package").order_by("pk"),
            ),
            Prefetch(
                "mandates",
                queryset=HelperMandate.objects.order_by("granted_at", "pk").prefetch_related(
                    Prefetch("looks", queryset=looks)
                ),
            ),
            Prefetch(
                "assisted",
                queryset=AssistedSession.objects.select_related("digipunt")
                .order_by("date", "pk")
                .prefetch_related("modules"),
            ),
            # By its related name: learning does not import certificates (see learner_delete).
            "certificates",
        )
        .get(pk=learner.pk)
    )
    progress = list(learner.progress.all())
    attempts = list(learner.attempts.all())
    statements = list(learner.statements.all())
    sandbox_runs = list(learner.sandbox_runs.all())
    sandbox_events = list(learner.sandbox_events.all())
    lesson_ids = (
        {row.lesson_id for row in progress}
        | {row.lesson_id for row in attempts}
        | {row.lesson_id for row in statements}
        | {row.lesson_id for row in sandbox_runs}
    )
    titles = (
        dict(LessonPage.objects.filter(pk__in=lesson_ids).values_list("pk", "title"))
        if lesson_ids
        else {}
    )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _when(timezone.now()),
        "uitleg": _(
            "Dit zijn alle gegevens die het Digibank Leerplatform over jou bewaart. "
            "Datums staan in de vorm jaar-maand-dag en uur."
        ),
        "learner": _export_learner(learner),
        "lesson_progress": {
            "uitleg": _("Hoe ver je bent in elke les die je begon."),
            "items": [_export_progress(row, titles) for row in progress],
        },
        "attempts": {
            "uitleg": _("Elk antwoord dat je gaf op een oefening, en of het juist was."),
            "items": [_export_attempt(row, titles) for row in attempts],
        },
        "xapi_statements": {
            "uitleg": _(
                "Wat je deed in interactieve (H5P-)oefeningen, zoals het platform het bewaarde."
            ),
            "items": [_export_statement(row, titles) for row in statements],
        },
        "sandboxes": {
            "uitleg": _(
                "Wat je deed in de oefenapps, zoals de Oefenbank: elke stap, elke fout en "
                "waar je nu bent."
            ),
            "runs": [
                {
                    "lesson_id": row.lesson_id,
                    "lesson_title": titles.get(row.lesson_id, row.lesson_title),
                    "exercise_id": row.block_id,
                    "scenario": row.scenario,
                    "state": row.state,
                    "started_at": _when(row.started_at),
                    "completed_at": _when(row.completed_at),
                }
                for row in sandbox_runs
            ],
            "events": [
                {
                    "lesson_id": row.lesson_id,
                    "exercise_id": row.block_id,
                    "kind": row.kind,
                    "step": row.step,
                    "error": row.error,
                    "mode": row.mode,
                    "created_at": _when(row.created_at),
                }
                for row in sandbox_events
            ],
        },
        "h5p_states": {
            "uitleg": _("Waar je was in een interactieve oefening, om later verder te gaan."),
            "items": [
                {
                    "package": row.package.title,
                    "state": row.state,
                    "updated_at": _when(row.updated_at),
                }
                for row in learner.h5p_states.all()
            ],
        },
        "learning_cards": {
            "uitleg": _(
                "Je leerkaarten om aan te melden. De code zelf bewaren we niet, alleen "
                "het begin ervan."
            ),
            "items": [_export_card(card) for card in learner.cards.all()],
        },
        "mandates": {
            "uitleg": _(
                "Wie van jou mocht meekijken, hoe lang, en wanneer die persoon echt meekeek."
            ),
            "items": [_export_mandate(mandate) for mandate in learner.mandates.all()],
        },
        "assisted_sessions": {
            "uitleg": _("Keren dat een digihelper je hielp in een Digipunt."),
            "items": [_export_session(session) for session in learner.assisted.all()],
        },
        "certificates": {
            "uitleg": _("Je certificaten, ook de certificaten die zijn ingetrokken."),
            "items": [_export_certificate(item) for item in learner.certificates.all()],
        },
    }


def _export_learner(learner: Learner) -> dict:
    user = learner.user
    return {
        "uitleg": _(
            "Je nummer bij ons, wanneer je begon en wanneer je het laatst iets deed. "
            "Heb je een account, dan ook je gebruikersnaam. Je wachtwoord kunnen wij niet lezen."
        ),
        "public_id": str(learner.public_id),
        "created_at": _when(learner.created_at),
        "last_active_at": _when(learner.last_active_at),
        "retention_warned_at": _when(learner.retention_warned_at),
        "helper_card_notice_at": _when(learner.helper_card_notice_at),
        "suggested_module": learner.suggested_module.title if learner.suggested_module else None,
        "account": (
            {
                "username": user.get_username(),
                "date_joined": _when(user.date_joined),
                "last_login": _when(user.last_login),
            }
            if user is not None
            else None
        ),
    }


def _export_progress(row: LessonProgress, titles: dict) -> dict:
    return {
        "lesson_id": row.lesson_id,
        "lesson_title": titles.get(row.lesson_id, row.lesson_title),
        "status": row.status,
        "score": row.score,
        "last_step": row.last_step,
        "furthest_step": row.furthest_step,
        "exercises": row.exercises,
        "started_at": _when(row.started_at),
        "completed_at": _when(row.completed_at),
        "updated_at": _when(row.updated_at),
    }


def _export_attempt(row, titles: dict) -> dict:
    return {
        "attempt_id": str(row.attempt_id),
        "lesson_id": row.lesson_id,
        "lesson_title": titles.get(row.lesson_id, row.lesson_title),
        "exercise_id": row.block_id,
        "answer": row.answer,
        "passed": row.passed,
        "score": row.score,
        "created_at": _when(row.created_at),
    }


def _export_statement(row: XapiStatement, titles: dict) -> dict:
    return {
        "statement_id": str(row.statement_id),
        "lesson_id": row.lesson_id,
        "lesson_title": titles.get(row.lesson_id, row.lesson_title),
        "exercise_id": row.block_id,
        "verb": row.verb,
        "score": row.score,
        "success": row.success,
        "statement": row.data,
        "created_at": _when(row.created_at),
    }


def _export_card(card: LearningCard) -> dict:
    return {
        "prefix": card.prefix,
        "created_at": _when(card.created_at),
        "last_used_at": _when(card.last_used_at),
        "revoked_at": _when(card.revoked_at),
    }


def _export_mandate(mandate: HelperMandate) -> dict:
    # The names copied on the rows: they stay when the helper or the Digipunt is deleted.
    for_helper = mandate.for_helper
    return {
        "digipunt": None if for_helper else mandate.digipunt_name,
        "helper": mandate.helper_name if for_helper else None,
        "helper_digipunt": mandate.digipunt_name if for_helper else None,
        "helper_still_active": not mandate.helper_gone,
        "learner_label": mandate.learner_label,
        "granted_at": _when(mandate.granted_at),
        "expires_at": _when(mandate.expires_at),
        "revoked_at": _when(mandate.revoked_at),
        "looks": [
            {
                "helper": look.helper_name,
                "digipunt": look.digipunt_name,
                "action": look.action,
                "at": _when(look.at),
            }
            for look in mandate.looks.all()
        ],
    }


def _export_session(session: AssistedSession) -> dict:
    return {
        "date": session.date.isoformat(),
        "digipunt": session.digipunt.name,
        "minutes": session.minutes,
        "outcome": session.outcome,
        # What the help was about: part of the learner's own record (GDPR right of access).
        "modules": [module.title for module in session.modules.all()],
        "other_topic": session.other_topic,
    }


def _export_certificate(certificate) -> dict:
    return {
        "module_title": certificate.module_title,
        "code": certificate.display_code,
        "name_printed": certificate.name_printed,
        "issued_at": _when(certificate.issued_at),
        "revoked_at": _when(certificate.revoked_at),
    }


def learner_data_counts(*, learner: Learner) -> dict[str, int]:
    """How many rows of each kind we keep, for the "Mijn gegevens" page. One query."""

    def count(model):
        rows = model.objects.filter(learner=OuterRef("pk")).values("learner")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

    kinds = {
        "lessons": count(LessonProgress),
        "attempts": count(Attempt),
        "statements": count(XapiStatement),
        "cards": count(LearningCard),
        "mandates": count(HelperMandate),
        "sessions": count(AssistedSession),
        # A join, not a subquery: learning does not import certificates (see learner_delete).
        "certificates": Count("certificates"),
    }
    # Prefixed: "attempts", "cards"… are also the names of the learner's relations.
    row = (
        Learner.objects.filter(pk=learner.pk)
        .annotate(**{f"n_{kind}": expression for kind, expression in kinds.items()})
        .values(*(f"n_{kind}" for kind in kinds))
        .get()
    )
    return {kind: row[f"n_{kind}"] for kind in kinds}


# --- Deletion ----------------------------------------------------------------------------


# Functions registered under this Wagtail hook name run first when a learner is deleted,
# with ``learner`` and ``reason``; certificates withdraws the learner's certificates there.
LEARNER_DELETE_HOOK = "before_learner_delete"


@transaction.atomic
def learner_delete(*, learner: Learner, by_learner: bool = True) -> None:
    """Delete the learner and everything about them; their certificates are withdrawn.

    Certificates stay as revoked records, so a printed one that is shown later is found and
    reported as withdrawn instead of "unknown". They lose the link to the learner and the
    printed name, and their cached PDFs are removed once the deletion is committed.
    Progress, attempts, xAPI statements, H5P resume states, cards, mandates and their access
    log go with the learner (CASCADE);
    assisted sessions stay, anonymous (SET_NULL). Last the account, unless it is also a
    work account (staff, or a digihelper who learns too): that one is not the learner's.
    """
    learner = Learner.objects.select_for_update().filter(pk=learner.pk).first()
    if learner is None:
        return  # already deleted, e.g. a second click on the button
    reason = "Account verwijderd door de leerder" if by_learner else "Twee jaar niet gebruikt"
    # Apps that hold things about a learner and that learning may not import (certificates
    # imports learning) act here, inside this transaction: see LEARNER_DELETE_HOOK.
    for withdraw in hooks.get_hooks(LEARNER_DELETE_HOOK):
        withdraw(learner=learner, reason=reason)

    user = learner.user
    learner.delete()
    if user is not None and not (user.is_staff or user.is_superuser or _is_digihelper(user)):
        user.delete()


def _is_digihelper(user) -> bool:
    # Helper accounts are not staff (they work in /helpers/, not the admin). Deleting one
    # would cascade to the Digihelper row, and fail on the sessions it recorded (PROTECT).
    return Digihelper.objects.filter(user=user).exists()


# --- Retention ---------------------------------------------------------------------------


def learner_activity_record(*, learner: Learner, now: datetime | None = None) -> None:
    """The learner did something: move ``last_active_at`` on and withdraw any warning.

    Call it from every learner action (answer, step view, login, learning card, "keep my
    data"). A single UPDATE, so no transaction of its own (a savepoint would cost two more
    queries on every step page); and it writes only when there is something to change.
    """
    now = now or timezone.now()
    recent = learner.last_active_at and learner.last_active_at >= now - ACTIVITY_RESOLUTION
    if recent and learner.retention_warned_at is None:
        return  # nothing to change: no query at all on the hot path (every step view)
    changed = (
        Learner.objects.filter(pk=learner.pk)
        .filter(
            Q(last_active_at__lt=now - ACTIVITY_RESOLUTION) | Q(retention_warned_at__isnull=False)
        )
        .update(last_active_at=now, retention_warned_at=None)
    )
    if changed:
        learner.last_active_at = now
        learner.retention_warned_at = None


def _with_last_seen(queryset):
    """Annotate ``last_seen``: the latest sign of the learner, not only ``last_active_at``.

    ``last_active_at`` is only as good as the code that moves it, and it has not always been
    moved (older learners have their creation date there). Deleting someone who learned
    last month would be unrepairable, so every dated trace of the learner's own actions
    counts: progress (each answer and step view), the use of a learning card, a login, a
    mandate they granted. Subqueries, not joins, so ``select_for_update`` keeps working.
    """
    own = F("last_active_at")

    def latest(model, field_name, **extra):
        rows = model.objects.filter(**extra).order_by(f"-{field_name}").values(field_name)[:1]
        return Coalesce(Subquery(rows), own)

    return queryset.annotate(
        last_seen=Greatest(
            own,
            latest(LessonProgress, "updated_at", learner=OuterRef("pk")),
            latest(
                LearningCard, "last_used_at", learner=OuterRef("pk"), last_used_at__isnull=False
            ),
            latest(HelperMandate, "granted_at", learner=OuterRef("pk")),
            latest(
                get_user_model(), "last_login", pk=OuterRef("user_id"), last_login__isnull=False
            ),
        )
    )


@dataclass
class PurgeReport:
    """What ``inactive_learners_purge`` did, or with ``dry_run`` would do. Learner ids."""

    dry_run: bool
    warned_ids: list[int] = field(default_factory=list)
    deleted_ids: list[int] = field(default_factory=list)
    would_warn_ids: list[int] = field(default_factory=list)
    would_delete_ids: list[int] = field(default_factory=list)
    # Warned, but used the platform since: the warning is taken back.
    unwarned_ids: list[int] = field(default_factory=list)

    @property
    def warned(self) -> int:
        return len(self.warned_ids)

    @property
    def deleted(self) -> int:
        return len(self.deleted_ids)

    @property
    def would_warn(self) -> int:
        return len(self.would_warn_ids)

    @property
    def would_delete(self) -> int:
        return len(self.would_delete_ids)

    @property
    def unwarned(self) -> int:
        return len(self.unwarned_ids)


@dataclass(frozen=True)
class _Limits:
    now: datetime
    warn_before: datetime  # inactive since before this: warn
    delete_before: datetime  # inactive since before this, and warned: delete
    warned_before: datetime  # the warning must be at least this old

    def to_delete(self):
        learners = Learner.objects.filter(
            last_active_at__lt=self.delete_before, retention_warned_at__lte=self.warned_before
        )
        # No activity since the warning either: whoever came back after it keeps their data.
        return _with_last_seen(learners).filter(
            Q(last_seen__lt=self.delete_before) & Q(last_seen__lt=F("retention_warned_at"))
        )


def inactive_learners_purge(
    *,
    now: datetime | None = None,
    dry_run: bool = True,
    inactive_days: int = 730,
    warning_days: int = 30,
) -> PurgeReport:
    """Warn learners nearing two years without use; delete those warned long enough ago.

    Three steps: take back warnings of learners who came back since; warn those inactive for
    ``inactive_days - warning_days`` (they see it on their next visit); delete those
    inactive for ``inactive_days`` whose warning is at least ``warning_days`` old, after
    adding them to the anonymous monthly totals. ``dry_run`` writes nothing.

    Each deletion is its own transaction, with its totals: a purge of thousands does not hold
    the database for minutes, and a failure halfway leaves every finished deletion counted
    exactly once. A rerun picks up the rest.
    """
    if not 0 <= warning_days < inactive_days:
        raise ValueError("warning_days must be at least 0 and less than inactive_days")
    now = now or timezone.now()
    limits = _Limits(
        now=now,
        warn_before=now - timedelta(days=inactive_days - warning_days),
        delete_before=now - timedelta(days=inactive_days),
        warned_before=now - timedelta(days=warning_days),
    )
    report = PurgeReport(dry_run=dry_run)

    came_back = _with_last_seen(Learner.objects.filter(retention_warned_at__isnull=False)).filter(
        last_seen__gt=F("retention_warned_at")
    )
    report.unwarned_ids = sorted(came_back.values_list("pk", flat=True))

    # Whoever came back after a warning and has been away long enough since is warned
    # afresh: the old warning no longer counts, so the waiting period starts again.
    not_warned = Q(retention_warned_at__isnull=True) | Q(pk__in=report.unwarned_ids)
    to_warn = _with_last_seen(
        Learner.objects.filter(not_warned, last_active_at__lt=limits.warn_before)
    ).filter(last_seen__lt=limits.warn_before)
    to_warn_ids = sorted(to_warn.values_list("pk", flat=True))
    to_delete_ids = sorted(limits.to_delete().values_list("pk", flat=True))

    if dry_run:
        report.would_warn_ids = to_warn_ids
        report.would_delete_ids = to_delete_ids
        return report

    with transaction.atomic():
        # .update(), not save(): save() would move last_active_at (auto_now) to now.
        Learner.objects.filter(pk__in=report.unwarned_ids).update(retention_warned_at=None)
        Learner.objects.filter(pk__in=to_warn_ids, retention_warned_at__isnull=True).update(
            retention_warned_at=now
        )
    report.warned_ids = to_warn_ids
    for learner_id in to_delete_ids:
        if _retire(learner_id=learner_id, limits=limits):
            report.deleted_ids.append(learner_id)
    return report


@transaction.atomic
def _retire(*, learner_id: int, limits: _Limits) -> bool:
    """Count one inactive learner in the monthly totals, then delete them."""
    # Checked again under the row lock: the learner may have come back since the listing.
    learner = limits.to_delete().select_for_update().filter(pk=learner_id).first()
    if learner is None:
        return False
    completed = LessonProgress.objects.filter(
        learner=learner, status=LessonProgress.COMPLETED
    ).count()
    month = timezone.localtime(learner.created_at).date().replace(day=1)
    _monthly_add(month=month, lessons_completed=completed)
    learner_delete(learner=learner, by_learner=False)
    return True


def _monthly_add(*, month, lessons_completed: int) -> None:
    increment = {
        "count": F("count") + 1,
        "lessons_completed": F("lessons_completed") + lessons_completed,
    }
    if RetiredLearnersMonthly.objects.filter(month=month).update(**increment):
        return
    try:
        with transaction.atomic():
            RetiredLearnersMonthly.objects.create(
                month=month, count=1, lessons_completed=lessons_completed
            )
    except IntegrityError:
        # Another purge created the month's row at the same moment: add to it.
        RetiredLearnersMonthly.objects.filter(month=month).update(**increment)


ACCESS_LOG_KEEP_DAYS = 365


@transaction.atomic
def access_logs_purge(
    *, now: datetime | None = None, dry_run: bool = True, keep_days: int = ACCESS_LOG_KEEP_DAYS
) -> int:
    """Delete helper access-log entries older than ``keep_days`` (DOMAIN.md: 12 months).

    Returns how many entries were (or, in a dry run, would be) deleted.
    """
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    old = MandateAccessLog.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _per_model = old.delete()
    return deleted
