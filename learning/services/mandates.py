"""Helpers looking along: mandates granted by learners, every look logged, help counted.

Modelled on mypension.be: the learner grants the mandate on their own screen, limits it in
time, can end it at any moment, and sees every time a helper looked.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning.models import (
    AssistedSession,
    Digihelper,
    HelperMandate,
    Learner,
    LearningCard,
    MandateAccessLog,
)
from learning.services import cards

MANDATE_MONTHS = (1, 3, 6)
DEFAULT_MONTHS = 6

# What "Wie keek mee?" says a helper did (stored in Dutch, the canonical language).
LOOKED = "bekeek de voortgang"
CARD_MADE = "maakte een nieuwe leerkaart"


class MandateError(ValueError):
    pass


class LearnerHasAccount(MandateError):
    """A helper may never get anything that signs in to a learner's password account."""


@transaction.atomic
def mandate_grant(
    *,
    learner: Learner,
    digipunt=None,
    helper: Digihelper | None = None,
    months: int = DEFAULT_MONTHS,
    label: str = "",
) -> HelperMandate:
    if (digipunt is None) == (helper is None):
        raise MandateError("a mandate is for one Digipunt or one helper")
    if months not in MANDATE_MONTHS:
        raise MandateError(f"months must be one of {MANDATE_MONTHS}")
    return HelperMandate.objects.create(
        learner=learner,
        digipunt=digipunt,
        helper=helper,
        learner_label=" ".join(label.split())[:40],
        expires_at=timezone.now() + timedelta(days=30 * months),
    )


@transaction.atomic
def mandate_revoke(*, mandate: HelperMandate, learner: Learner) -> None:
    """Only the learner who granted it ends a mandate; ending twice changes nothing."""
    HelperMandate.objects.filter(pk=mandate.pk, learner=learner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# The learner reads "Wie keek mee?" as visits: a helper who reloads the page or comes back
# to it within this time is the same visit, not another line.
SAME_VISIT = timedelta(minutes=30)


@transaction.atomic
def mandate_look(*, mandate: HelperMandate, helper: Digihelper, action: str) -> MandateAccessLog:
    """Log that ``helper`` did ``action`` for the learner; looking again within
    ``SAME_VISIT`` returns the visit already logged. Every other action is always logged."""
    if action == LOOKED:
        visit = (
            MandateAccessLog.objects.filter(
                mandate=mandate, helper=helper, action=LOOKED, at__gte=timezone.now() - SAME_VISIT
            )
            .order_by("-at")
            .first()
        )
        if visit is not None:
            return visit
    return MandateAccessLog.objects.create(mandate=mandate, helper=helper, action=action)


@transaction.atomic
def replacement_card_issue(
    *, mandate: HelperMandate, helper: Digihelper
) -> tuple[LearningCard, str]:
    """A learner under mandate lost their card: a new one, and their old cards stop working.

    A card signs in as the learner, so this is the strongest thing a helper can do. Only for
    a learner without a password account (the account, its name, certificates and export
    stay the learner's alone: ``LearnerHasAccount``). Logged as a look, and the learner is
    told on their next page (``Learner.helper_card_notice_at``, see learning/notices.py).
    """
    # Locked and read again: a mandate stopped or an account made a moment ago counts.
    still_active = HelperMandate.objects.select_for_update().filter(
        pk=mandate.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if not still_active.exists():
        raise MandateError("the mandate has ended")
    learner = Learner.objects.select_for_update().get(pk=mandate.learner_id)
    if learner.user_id is not None:
        raise LearnerHasAccount("the learner has a password account")
    card, code = cards.learning_card_issue(learner=learner, issued_by=helper.user)
    look = mandate_look(mandate=mandate, helper=helper, action=CARD_MADE)
    # The first card not yet told stays the mark: the notice lists every card since then.
    Learner.objects.filter(pk=learner.pk, helper_card_notice_at__isnull=True).update(
        helper_card_notice_at=look.at
    )
    return card, code


@transaction.atomic
def helper_card_notice_clear(*, learner: Learner) -> None:
    """The learner has been told about the cards helpers made; tell them no more."""
    Learner.objects.filter(pk=learner.pk).update(helper_card_notice_at=None)
    learner.helper_card_notice_at = None


@transaction.atomic
def route_suggest(*, mandate: HelperMandate, helper: Digihelper, module) -> None:
    """ "Leerroute klaarzetten": the next module shows first on the learner's pages."""
    Learner.objects.filter(pk=mandate.learner_id).update(suggested_module=module)
    mandate_look(mandate=mandate, helper=helper, action=f"zette klaar: {module.title}"[:40])


@transaction.atomic
def assisted_session_record(
    *,
    helper: Digihelper,
    date,
    minutes: int,
    outcome: str,
    modules=(),
    other_topic: str = "",
    learner: Learner | None = None,
) -> AssistedSession:
    session = AssistedSession.objects.create(
        digipunt=helper.digipunt,
        helper=helper,
        date=date,
        minutes=minutes,
        outcome=outcome,
        other_topic=other_topic.strip(),
        learner=learner,
    )
    session.modules.set(modules)
    return session
