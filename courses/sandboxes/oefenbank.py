"""The Oefenbank: a fictional bank app for practising a transfer, with oefen-itsme.

A state machine over a plain dict (stored as JSON by ``learning``): no learner, no
database, no clock. ``apply`` takes the state, one action from a form and how long the run
was idle, and returns the new state and the step events to record. Screens follow the
real apps closely enough to practise, with a brand of our own (no real logos or layouts):

    login  ->  account  ->  transfer  ->  confirm (oefen-itsme)  ->  done

Every screen is one plain HTML form. A form carries the screen it was made for: a form
from another screen (Back, a second tab) changes nothing, so Back and reload never move
the learner or count anything twice.
"""

import copy
from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from courses.sandboxes import checks, common, guardrails
from courses.sandboxes.common import (  # noqa: F401 - part of this scenario's interface
    COMMON_ACTIONS,
    COMPLETED,
    ERROR,
    FREE,
    GUIDED,
    HINT_USED,
    IDLE_LIMIT,
    ITSME_CODE,
    LAUNCHED,
    MODES,
    REAL_DATA,
    RESET,
    RESET_DONE,
    SHOW_HINT,
    START,
    STEP_PASSED,
    SWITCH_MODE,
    TIMEOUT,
    WRONG_ITSME_CODE,
    Event,
    Outcome,
    SecondDevice,
    base_state,
    common_action,
    go,
    hint_shown,
    mark_completed,
    passes,
)

SCENARIO = "oefenbank-overschrijving"
# The author's choice in the block, and what the learner reads around the screens.
LABEL = _("Oefenbank: een overschrijving maken")
TEXTS = {
    "title": _("Oefenbank"),
    "about": _(
        "Je oefent een overschrijving in een nagemaakte bankapp. Het is geen echt geld. "
        "Er kan niets mislopen."
    ),
    "open": _("Open de Oefenbank"),
    "go_on": _("Ga verder in de Oefenbank"),
    "go_to": _("Naar de Oefenbank"),
    "passed": _("Goed zo! Je hebt de Oefenbank afgewerkt."),
    "again": _("Nog eens oefenen in de Oefenbank"),
    "guided_only": _(
        "Je hebt de Oefenbank afgewerkt met hulp. Probeer het nu eens zonder hulp. "
        "Dan is deze stap gelukt."
    ),
}
# The screens inside the sandbox frame (learning/sandbox.html includes it).
TEMPLATE = "learning/_sandbox_oefenbank.html"
# Invented for the platform; the poppy is the Westhoek's flower. Not a real bank.
BRAND = "Klaproos Bank"
# Shown on the screen beside the field: practice codes, never the learner's own.
USER_CODE = "2468 1357"
# Codes shown inside hints: always set left to right, also in an Arabic sentence.
CODES = [USER_CODE, ITSME_CODE]
MAX_NAME = 70
MAX_MESSAGE = 140

# Screens, in order. Also the ``step`` of every event.
LOGIN, ACCOUNT, TRANSFER, CONFIRM, DONE = "login", "account", "transfer", "confirm", "done"
SCREENS = [LOGIN, ACCOUNT, TRANSFER, CONFIRM, DONE]
ACTIVE = {ACCOUNT, TRANSFER, CONFIRM}  # logged in: these time out (``common.IDLE_LIMIT``)
# What a logged-in screen had open, gone after a time-out.
LOGGED_OUT = {"draft": {}, "transfer": None}

# Actions of this scenario's screens (the forms' "actie"); the common ones are in
# ``common`` (start, reset, mode, hint).
LOG_IN = "login"
NEW_TRANSFER = "new_transfer"
CHECK_TRANSFER = "check_transfer"
CHANGE_TRANSFER = "change_transfer"
CONFIRM_CODE = "confirm"
ACTIONS = COMMON_ACTIONS | {LOG_IN, NEW_TRANSFER, CHECK_TRANSFER, CHANGE_TRANSFER, CONFIRM_CODE}

# Error kinds: stored with an ERROR event, and the key of the learner's message.
WRONG_USER_CODE = "wrong_user_code"
NAME_MISSING = "name_missing"
NAME_TOO_LONG = "name_too_long"
IBAN_MISSING = "iban_missing"
IBAN_SHAPE = "iban_shape"
IBAN_TYPO = "iban_typo"
AMOUNT_FORMAT = "amount_format"
AMOUNT_NOT_POSITIVE = "amount_not_positive"
AMOUNT_ABOVE_BALANCE = "amount_above_balance"
MESSAGE_TOO_LONG = "message_too_long"
OGM_SHAPE = "ogm_shape"
OGM_TYPO = "ogm_typo"

MESSAGES = {
    WRONG_USER_CODE: _(
        "Deze gebruikerscode klopt niet. Kijk naar de oefencode op het scherm en typ ze over."
    ),
    NAME_MISSING: _("Typ de naam van de ontvanger."),
    NAME_TOO_LONG: _("Deze naam is te lang. Typ hoogstens 70 tekens."),
    IBAN_MISSING: _("Typ het rekeningnummer (IBAN) van de ontvanger."),
    IBAN_SHAPE: _("Een Belgische IBAN begint met BE. Daarna komen 14 cijfers."),
    IBAN_TYPO: _(
        "Dit rekeningnummer klopt niet. Misschien is er een cijfer fout. Kijk elk cijfer rustig na."
    ),
    AMOUNT_FORMAT: _("Typ het bedrag in cijfers. Bijvoorbeeld: 12,50"),
    AMOUNT_NOT_POSITIVE: _("Het bedrag moet meer dan 0 euro zijn."),
    AMOUNT_ABOVE_BALANCE: _(
        "Zoveel geld staat er niet op je oefenrekening. Kies een kleiner bedrag."
    ),
    MESSAGE_TOO_LONG: _("De mededeling is te lang. Typ hoogstens 140 tekens."),
    OGM_SHAPE: _("Een gestructureerde mededeling heeft 12 cijfers. Zo: +++123/4567/89012+++"),
    OGM_TYPO: _(
        "Deze gestructureerde mededeling klopt niet. Misschien is er een cijfer fout. "
        "Kijk de cijfers rustig na."
    ),
    WRONG_ITSME_CODE: common.WRONG_ITSME_MESSAGE,
    TIMEOUT: _(
        "Je was meer dan 10 minuten weg. Daarom ben je afgemeld, net als in een echte "
        "bankapp. Log opnieuw in."
    ),
    **common.REAL_DATA_MESSAGES,
    "real_iban": _(
        "Dit lijkt op een echt rekeningnummer. Typ nooit je echte gegevens. We hebben het "
        "niet bewaard. Gebruik een oefen-IBAN van het scherm."
    ),
}

# --- what a digihelper and a trainer read back (learning.selectors.sandbox_summaries) ----

TITLE = _("Oefenbank: een overschrijving maken")

# Easy Dutch names of the steps, for the helper's and the trainer's pages. The transfer
# screen asks for four things: a (screen, field) label names the part where it went wrong
# ("bedrag invullen"), found through ERROR_FIELDS; the screen's own label is the fallback.
STEP_LABELS = {
    LOGIN: _("inloggen"),
    ACCOUNT: _("rekening bekijken"),
    TRANSFER: _("overschrijving invullen"),
    (TRANSFER, "name"): _("naam van de ontvanger invullen"),
    (TRANSFER, "iban"): _("rekeningnummer invullen"),
    (TRANSFER, "amount"): _("bedrag invullen"),
    (TRANSFER, "message"): _("mededeling invullen"),
    CONFIRM: _("bevestigen met oefen-itsme"),
    DONE: _("klaar"),
}
# The field an error kind belongs to. The real-data refusals and the time-out have none:
# they can happen in any field or on any screen.
ERROR_FIELDS = {
    NAME_MISSING: "name",
    NAME_TOO_LONG: "name",
    IBAN_MISSING: "iban",
    IBAN_SHAPE: "iban",
    IBAN_TYPO: "iban",
    "real_iban": "iban",
    AMOUNT_FORMAT: "amount",
    AMOUNT_NOT_POSITIVE: "amount",
    AMOUNT_ABOVE_BALANCE: "amount",
    MESSAGE_TOO_LONG: "message",
    OGM_SHAPE: "message",
    OGM_TYPO: "message",
}
# Short names of the mistakes for helpers and trainers (the learner reads MESSAGES). They
# name the kind of mistake, never what was typed: the events do not hold it.
ERROR_LABELS = {
    WRONG_USER_CODE: _("verkeerde gebruikerscode"),
    NAME_MISSING: _("naam vergeten"),
    NAME_TOO_LONG: _("naam te lang"),
    IBAN_MISSING: _("rekeningnummer vergeten"),
    IBAN_SHAPE: _("rekeningnummer in de verkeerde vorm"),
    IBAN_TYPO: _("verkeerde IBAN (tikfout)"),
    AMOUNT_FORMAT: _("bedrag niet in cijfers"),
    AMOUNT_NOT_POSITIVE: _("bedrag van 0 euro of minder"),
    AMOUNT_ABOVE_BALANCE: _("bedrag hoger dan het geld op de rekening"),
    MESSAGE_TOO_LONG: _("mededeling te lang"),
    OGM_SHAPE: _("gestructureerde mededeling in de verkeerde vorm"),
    OGM_TYPO: _("gestructureerde mededeling met een tikfout"),
    **common.ERROR_LABELS,
}

# One hint per screen, and the field or button it points at (guided mode highlights it).
HINTS = {
    LOGIN: (_("Typ de oefencode 2468 1357. Tik dan op Inloggen."), "code"),
    ACCOUNT: (_("Je ziet hoeveel geld je hebt. Tik op Nieuwe overschrijving."), NEW_TRANSFER),
    TRANSFER: (
        _(
            "Neem de gegevens van de oefenfactuur over: de naam, de IBAN, het bedrag en de "
            "mededeling. Tik dan op Volgende."
        ),
        "name",
    ),
    CONFIRM: (
        _(
            "Controleer alles. Klopt het? Typ dan je oefencode 13579 in oefen-itsme en tik "
            "op Bevestigen."
        ),
        "itsme_code",
    ),
    DONE: (_("Klaar! Wil je nog eens oefenen? Tik op Opnieuw beginnen."), RESET),
}

# What can be confirmed on the learner's own smartphone (a QR code on the computer,
# learning.services.pairing): on the confirm screen, oefen-itsme's code, nothing else.
PAIRING = {CONFIRM: SecondDevice(action=CONFIRM_CODE, field="itsme_code", code=ITSME_CODE)}

# The fields each action reads; the guardrails look at these before anything else.
FIELDS = {
    LOG_IN: ["code"],
    CHECK_TRANSFER: ["name", "iban", "amount", "message"],
    CONFIRM_CODE: ["itsme_code"],
}
STRUCTURED, FREE_TEXT = "structured", "free"


@dataclass(frozen=True)
class Payee:
    name: str
    iban: str
    what: str  # what it is for, shown with the practice data
    amount: str = ""
    message: str = ""
    structured: bool = False


# Made-up payees with IBANs that pass the mod-97 check (bank code 999, not in use).
PAYEES = [
    Payee(
        name="Energie Westhoek",
        iban="BE74 9990 0000 3407",
        what=_("Oefenfactuur voor elektriciteit"),
        amount="48,75",
        message="+++202/6120/40118+++",
        structured=True,
    ),
    Payee(
        name="Bakkerij De Klaproos",
        iban="BE25 9990 0000 1282",
        what=_("Een taart voor een verjaardag"),
        amount="23,50",
        message="Taart zaterdag",
    ),
    Payee(
        name="Tom Peeters",
        iban="BE26 9990 0000 5629",
        what=_("Geld voor je kleinzoon"),
    ),
]
PRACTICE_IBANS = [payee.iban for payee in PAYEES]


def new_state(*, mode: str, balance_cents: int) -> dict:
    return {
        **base_state(screen=LOGIN, mode=mode),
        "start_balance": balance_cents,
        "balance": balance_cents,
        # What the transfer form shows again after a mistake; only input that passed the
        # guardrails is ever put here.
        "draft": {},
        "transfer": None,
    }


def start(*, mode: str, balance_cents: int = 25000, **_options) -> Outcome:
    """A new run on the login screen. ``balance_cents`` is the author's starting balance
    (``SandboxBlock.start_options``); other options are for other scenarios."""
    return Outcome(new_state(mode=mode, balance_cents=balance_cents), [Event(LAUNCHED, LOGIN)])


def timed_out(state: dict, idle: timedelta) -> bool:
    return common.timed_out(state, idle, active=ACTIVE)


def shown(state: dict, idle: timedelta) -> dict:
    """The state as the learner sees it now: a run idle too long shows the login with the
    time-out message (the next form stores that, see ``apply``)."""
    if not timed_out(state, idle):
        return state
    return common.logged_out(state, to=LOGIN, cleared=LOGGED_OUT)


def screen_context(state: dict) -> dict:
    """What this scenario's screens (``TEMPLATE``) show besides the common parts."""
    transfer = state.get("transfer")
    return {
        "draft": state.get("draft", {}),
        "balance": checks.euros(state["balance"]),
        "transfer": transfer,
        "transfer_amount": checks.euros(transfer["amount"]) if transfer else "",
        "payees": PAYEES,
        "brand": BRAND,
        "user_code": USER_CODE,
        "itsme_code": ITSME_CODE,
    }


def apply(state: dict, action: str, data, *, idle: timedelta) -> Outcome:
    """The state after one form, and the events it makes.

    ``data`` is the form (a dict or QueryDict): ``scherm`` is the screen the form was made
    for. ``idle`` is the time since the run last changed: a logged-in run idle for more
    than ``IDLE_LIMIT`` goes back to the login first, as a real app does.
    """
    state, events = common.time_out_first(
        copy.deepcopy(state), action, idle, active=ACTIVE, to=LOGIN, cleared=LOGGED_OUT
    )

    fresh = new_state(mode=state["mode"], balance_cents=state["start_balance"])
    shared = common_action(state, action, data, fresh=fresh, events=events)
    if shared is not None:
        return shared

    handler = HANDLERS.get((state["screen"], action))
    if handler is None or data.get("scherm") != state["screen"]:
        return Outcome(state, events, ignored=not events)
    if state["mode"] == GUIDED:
        state["guided_used"] = True
    values = common.form_values(data, FIELDS.get(action, []))
    refused = common.refuse_real_data(state, values, events, practice_ibans=PRACTICE_IBANS)
    if refused is not None:
        # The field goes, and with it anything else that looks real: never stored. (The
        # login and oefen-itsme codes are never kept at all.)
        if action == CHECK_TRANSFER:
            state["draft"] = {
                key: value
                for key, value in values.items()
                if key not in state["errors"]
                and not guardrails.real_data_kind(value, practice_ibans=PRACTICE_IBANS)
            } | {"message_kind": _message_kind(data)}
        return refused
    if state["notice"] != TIMEOUT:  # the time-out stays in view until the login works
        state["notice"] = ""
    return handler(state, values, data, events)


def _log_in(state, values, data, events):
    if checks.digits_only(values["code"]) != checks.digits_only(USER_CODE):
        state["errors"] = {"code": WRONG_USER_CODE}
        return Outcome(state, [*events, Event(ERROR, LOGIN, WRONG_USER_CODE)])
    go(state, ACCOUNT)
    return Outcome(state, [*events, Event(STEP_PASSED, LOGIN)])


def _new_transfer(state, values, data, events):
    go(state, TRANSFER)
    return Outcome(state, [*events, Event(STEP_PASSED, ACCOUNT)])


def _message_kind(data) -> str:
    return STRUCTURED if data.get("message_kind") == STRUCTURED else FREE_TEXT


def transfer_errors(values: dict, message_kind: str, balance: int) -> tuple[dict, dict]:
    """(errors per field, the clean transfer) for the transfer form's values."""
    errors, clean = {}, {"message_kind": message_kind}
    name = " ".join(values["name"].split())
    if not name:
        errors["name"] = NAME_MISSING
    elif len(name) > MAX_NAME:
        errors["name"] = NAME_TOO_LONG
    clean["name"] = name
    iban = checks.iban_normalise(values["iban"])
    if not iban:
        errors["iban"] = IBAN_MISSING
    elif not checks.belgian_iban_shape_ok(iban):
        errors["iban"] = IBAN_SHAPE
    elif not checks.iban_checksum_ok(iban):
        errors["iban"] = IBAN_TYPO
    clean["iban"] = checks.iban_group(iban)
    try:
        amount = checks.amount_cents(values["amount"])
    except checks.AmountError:
        errors["amount"] = AMOUNT_FORMAT
    else:
        if amount <= 0:
            errors["amount"] = AMOUNT_NOT_POSITIVE
        elif amount > balance:
            errors["amount"] = AMOUNT_ABOVE_BALANCE
        clean["amount"] = amount
    message = " ".join(values["message"].split())
    if message_kind == STRUCTURED:
        digits = checks.ogm_digits(message)
        if digits is None:
            errors["message"] = OGM_SHAPE
        elif not checks.ogm_valid(digits):
            errors["message"] = OGM_TYPO
        else:
            message = checks.ogm_format(digits)
    elif len(message) > MAX_MESSAGE:
        errors["message"] = MESSAGE_TOO_LONG
    clean["message"] = message
    return errors, clean


def _check_transfer(state, values, data, events):
    kind = _message_kind(data)
    errors, clean = transfer_errors(values, kind, state["balance"])
    state["draft"] = {**values, "message_kind": kind}
    if errors:
        state["errors"] = errors
        state["hint"] = False
        return Outcome(
            state, [*events, *(Event(ERROR, TRANSFER, error) for error in errors.values())]
        )
    state["transfer"] = clean
    go(state, CONFIRM)
    return Outcome(state, [*events, Event(STEP_PASSED, TRANSFER)])


def _change_transfer(state, values, data, events):
    go(state, TRANSFER)
    return Outcome(state, events)


def _confirm(state, values, data, events):
    if not common.itsme_code_ok(values["itsme_code"]):
        state["errors"] = {"itsme_code": WRONG_ITSME_CODE}
        return Outcome(state, [*events, Event(ERROR, CONFIRM, WRONG_ITSME_CODE)])
    state["balance"] -= state["transfer"]["amount"]
    mark_completed(state)
    go(state, DONE)
    return Outcome(state, [*events, Event(STEP_PASSED, CONFIRM), Event(COMPLETED, DONE)])


HANDLERS = {
    (LOGIN, LOG_IN): _log_in,
    (ACCOUNT, NEW_TRANSFER): _new_transfer,
    (TRANSFER, CHECK_TRANSFER): _check_transfer,
    (CONFIRM, CHANGE_TRANSFER): _change_transfer,
    (CONFIRM, CONFIRM_CODE): _confirm,
}


def right_walk() -> list[tuple[str, dict]]:
    """The forms of a learner who copies the practice invoice without a mistake, from the
    login to done: (action, values), each sent with its screen's hidden fields. The
    sandbox's "right answer", for the tests, the load test and the benchmark."""
    invoice = PAYEES[0]
    return [
        (LOG_IN, {"code": USER_CODE}),
        (NEW_TRANSFER, {}),
        (
            CHECK_TRANSFER,
            {
                "name": invoice.name,
                "iban": invoice.iban,
                "amount": invoice.amount,
                "message_kind": STRUCTURED,
                "message": invoice.message,
            },
        ),
        (CONFIRM_CODE, {"itsme_code": ITSME_CODE}),
    ]


def pairing_question(state: dict) -> str:
    """The one sentence the smartphone shows about what it confirms (``PAIRING``): the
    bank and the amount, nothing about the learner."""
    transfer = state.get("transfer") or {}
    return _("%(brand)s vraagt: bevestig een overschrijving van %(amount)s.") % {
        "brand": BRAND,
        "amount": checks.euros(transfer.get("amount", 0)),
    }


def message_for(kind: str) -> str:
    return str(MESSAGES.get(kind, ""))


def guide(state: dict) -> dict:
    """The hint of the current screen and what it points at, or empty when it is hidden."""
    if not hint_shown(state):
        return {}
    text, target = HINTS[state["screen"]]
    if state["screen"] == TRANSFER:
        # Point at the first field still to fill in or to put right, else at Volgende.
        draft, errors = state.get("draft", {}), state.get("errors", {})
        target = next(
            (name for name in ("name", "iban", "amount") if name in errors or not draft.get(name)),
            "message" if "message" in errors else CHECK_TRANSFER,
        )
    return {"text": str(text), "target": target}
