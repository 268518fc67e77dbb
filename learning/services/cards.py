"""Learning cards: a printed code that logs a learner in on any device, without e-mail.

Codes have 15 random symbols (75 bits) and a check symbol, shown as ``HK4T-9MQZ-RW2C-7PXE``.
Only a SHA-256 hash is stored: with 75 bits of randomness a stolen table of hashes cannot be
turned back into codes. The first group is kept in clear to name the card and to rate limit
guesses per card.
"""

import hashlib

from django.db import transaction
from django.utils import timezone

from learning.models import Learner, LearningCard
from learning.services import privacy
from toolkit import codes

RANDOM_SYMBOLS = 15
LENGTH = RANDOM_SYMBOLS + 1


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_normalise(typed) -> str | None:
    return codes.normalise(typed, LENGTH)


@transaction.atomic
def learning_card_issue(*, learner: Learner, issued_by=None) -> tuple[LearningCard, str]:
    """A new card for ``learner``; every earlier card stops working (a lost card is replaced).

    Returns the card and its code in clear: the only moment the code exists outside the
    printed card.
    """
    LearningCard.objects.filter(learner=learner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    code = codes.generate(RANDOM_SYMBOLS)
    card = LearningCard.objects.create(
        learner=learner, code_hash=code_hash(code), prefix=code[:4], issued_by=issued_by
    )
    return card, code


@transaction.atomic
def learning_card_for_new_learner(*, issued_by) -> tuple[LearningCard, str]:
    """A digihelper makes a card on the spot for someone who has not started yet."""
    return learning_card_issue(learner=Learner.objects.create(), issued_by=issued_by)


def learning_card_find(*, code: str) -> LearningCard | None:
    """The active card with this (normalised) code, or None."""
    return (
        LearningCard.objects.select_related("learner", "learner__user")
        .filter(code_hash=code_hash(code), revoked_at__isnull=True)
        .first()
    )


def learning_card_may_sign_in(*, card: LearningCard) -> bool:
    """False for a card a digihelper made whose learner has a password account since.

    The helper saw that card's code. Whoever has an account signs in with its password or
    with a card they made themselves; a helper never gets a way into an account, also not
    when a learner makes an account after a helper made their card.
    """
    learner = card.learner
    if learner.user_id is None or card.issued_by_id is None:
        return True
    return card.issued_by_id == learner.user_id  # a digihelper who learns too, own card


@transaction.atomic
def learning_card_use(*, card: LearningCard) -> Learner:
    LearningCard.objects.filter(pk=card.pk).update(last_used_at=timezone.now())
    privacy.learner_activity_record(learner=card.learner)
    return card.learner


@transaction.atomic
def learning_card_revoke(*, card: LearningCard) -> None:
    LearningCard.objects.filter(pk=card.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def learning_card_matches(*, learner: Learner, code: str) -> bool:
    """True when ``code`` is an active card of ``learner``: a new card's code is shown only then."""
    return LearningCard.objects.filter(
        learner=learner, code_hash=code_hash(code), revoked_at__isnull=True
    ).exists()
