"""oefen-itsme on a real second device: the computer shows a QR code, the learner's own
smartphone opens it and confirms, and the run on the computer moves on (issue 18).

A pairing is a short-lived random token for one ``SandboxRun`` on one screen the scenario
lists in ``PAIRING`` (``courses.sandboxes``). Only its SHA-256 is stored; the raw token is
in the QR code and its address, nowhere else. The token is an HMAC, under the site's
secret key, of a random nonce kept on the row: the computer's page is drawn again after
Post/Redirect/Get (and every reload) without keeping the raw token anywhere, and a copy of
the database alone cannot make it. The token is the phone's only authority: it
does not log the phone in, it sends exactly one action with one field for that run
(``confirm_by_token``), through ``sandboxes.sandbox_submit`` like the computer's own form
(same guardrails, same events, same idempotency by the form's event id, same progress),
and it works once, for ``LIFETIME``. A new pairing replaces the run's older unused ones;
leaving the screen on the computer ends them (``end_for_run``).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courses.sandboxes import scenario as scenario_of
from learning import selectors
from learning.models import SandboxPairing, SandboxRun
from learning.services import sandboxes

LIFETIME = timedelta(minutes=10)
TOKEN_BYTES = 24  # 192 bits; 32 characters in the address
HMAC_SALT = "learning.sandbox-pairing"

# Why a token cannot be used (the phone page's message).
UNKNOWN, EXPIRED, USED = "unknown", "expired", "used"
# What the phone's form did.
CONFIRMED, WRONG, REFUSED = "confirmed", "wrong", "refused"


class PairingRefused(Exception):
    """The run is not on a screen that can be confirmed on a second device."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(pairing: SandboxPairing) -> str:
    """The raw token of a pairing, made again from its nonce and the secret key."""
    digest = salted_hmac(HMAC_SALT, pairing.nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode()


def _scenario(run: SandboxRun):
    return scenario_of(run.scenario)


def _screen_now(run: SandboxRun, now: datetime) -> str:
    """The run's screen as the learner sees it now (a run idle too long shows the login)."""
    return _scenario(run).shown(run.state, now - run.changed_at)["screen"]


def second_device(run: SandboxRun, now: datetime | None = None):
    """The ``SecondDevice`` of the run's current screen, or None."""
    now = now or timezone.now()
    return getattr(_scenario(run), "PAIRING", {}).get(_screen_now(run, now))


@transaction.atomic
def pairing_create(run: SandboxRun, *, now: datetime | None = None) -> tuple[SandboxPairing, str]:
    """A new pairing for ``run`` on its current screen: (the pairing, the raw token).

    ``PairingRefused`` when that screen offers no second device. The run's older unused
    pairings end now. Making one counts as the learner doing something in the run (its
    idle clock starts again), so the run cannot time out while the QR code is valid.
    """
    now = now or timezone.now()
    run = SandboxRun.objects.select_for_update().get(pk=run.pk)
    if second_device(run, now) is None:
        raise PairingRefused(run.state.get("screen", ""))
    end_for_run(run, now=now)
    # Rows of this run that can no longer say anything useful ("al gebruikt" on a second
    # visit is kept while the code would still have lived) go; the run's deletion takes
    # the rest (on_delete CASCADE).
    SandboxPairing.objects.filter(run=run, expires_at__lt=now - LIFETIME).delete()
    pairing = SandboxPairing(run=run, nonce=secrets.token_urlsafe(TOKEN_BYTES))
    token = token_of(pairing)
    pairing = SandboxPairing.objects.create(
        run=run,
        nonce=pairing.nonce,
        token_hash=token_hash(token),
        screen=run.state["screen"],
        created_at=now,
        expires_at=now + LIFETIME,
    )
    SandboxRun.objects.filter(pk=run.pk).update(changed_at=now)
    return pairing, token


def end_for_run(run: SandboxRun, *, now: datetime | None = None) -> None:
    """End the run's unused pairings now ("Bevestig op deze computer", a new QR code, or
    the run left the screen): their phone page says the QR code has expired."""
    now = now or timezone.now()
    SandboxPairing.objects.filter(run=run, used_at__isnull=True, ended_at__isnull=True).update(
        ended_at=now
    )


def current(run: SandboxRun | None, *, now: datetime | None = None) -> SandboxPairing | None:
    """The run's latest pairing for the screen it is on that is neither used nor ended
    (maybe expired), or None: what the computer shows (the QR code, or "verlopen")."""
    if run is None:
        return None
    now = now or timezone.now()
    screen = _screen_now(run, now)
    return (
        SandboxPairing.objects.filter(
            run=run, used_at__isnull=True, ended_at__isnull=True, screen=screen
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def is_open(pairing: SandboxPairing, now: datetime | None = None) -> bool:
    return (
        pairing.used_at is None
        and pairing.ended_at is None
        and (now or timezone.now()) < pairing.expires_at
    )


@dataclass
class Found:
    pairing: SandboxPairing | None
    # "" when the token can be used now, else UNKNOWN, EXPIRED or USED.
    refusal: str


def resolve(token: str, *, now: datetime | None = None) -> Found:
    """The pairing behind a raw token, and whether it can be used now."""
    now = now or timezone.now()
    pairing = (
        SandboxPairing.objects.select_related("run").filter(token_hash=token_hash(token)).first()
        if token
        else None
    )
    if pairing is None:
        return Found(None, UNKNOWN)
    if pairing.used_at is not None:
        return Found(pairing, USED)
    if (
        pairing.ended_at is not None
        or now >= pairing.expires_at
        or _screen_now(pairing.run, now) != pairing.screen
    ):
        return Found(pairing, EXPIRED)
    return Found(pairing, "")


@dataclass
class Confirmation:
    outcome: str  # CONFIRMED, WRONG or REFUSED
    refusal: str = ""  # with REFUSED: UNKNOWN, EXPIRED or USED
    pairing: SandboxPairing | None = None
    error: str = ""  # with WRONG: the error kind the scenario gave the field


def confirm_by_token(
    token: str, *, event_id: uuid.UUID, value: str, now: datetime | None = None
) -> Confirmation:
    """The phone's form: ``value`` for the one field of the pairing's screen.

    Applied to the pairing's run only, as the scenario's declared action, through
    ``sandbox_submit`` (guardrails, events, idempotency, progress). The pairing is used
    once the run has left its screen; a wrong code leaves it open. The same form sent
    again (a double tap, a reload) is recognised by ``event_id`` and answered as before;
    any other form after that is refused as used.
    """
    with transaction.atomic():
        found = resolve(token, now=now)
        if found.pairing is None:
            return Confirmation(REFUSED, UNKNOWN)
        pairing = SandboxPairing.objects.select_for_update().get(pk=found.pairing.pk)
        if pairing.used_at is not None:
            if pairing.used_by_event == event_id:
                return Confirmation(CONFIRMED, pairing=pairing)
            return Confirmation(REFUSED, USED, pairing)
        if found.refusal:
            return Confirmation(REFUSED, found.refusal, pairing)
        run = pairing.run
        device = getattr(_scenario(run), "PAIRING", {}).get(pairing.screen)
        lesson = selectors.learnable_lesson(run.lesson_id)
        if device is None or lesson is None:
            return Confirmation(REFUSED, EXPIRED, pairing)
        result = sandboxes.sandbox_submit(
            learner=run.learner,
            lesson=lesson,
            block_id=run.block_id,
            event_id=event_id,
            action=device.action,
            data={"scherm": pairing.screen, device.field: str(value)[:200]},
        )
        state = result.run.state if result.run is not None else {}
        if state.get("screen") == pairing.screen:
            error = state.get("errors", {}).get(device.field, "")
            return Confirmation(WRONG, pairing=pairing, error=error)
        used = SandboxPairing.objects.filter(pk=pairing.pk, used_at__isnull=True).update(
            used_at=now or timezone.now(), used_by_event=event_id
        )
        if not used:  # cannot happen under the row lock; kept as the last guard
            return Confirmation(REFUSED, USED, pairing)
        pairing.refresh_from_db()
        return Confirmation(CONFIRMED, pairing=pairing)
