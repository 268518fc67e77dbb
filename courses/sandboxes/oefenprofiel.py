"""Mijn Oefenprofiel: a fictional citizen portal for practising to log in with a digital
key and download a certificate (issue 18, in *Inloggen bij de overheid*).

A state machine over a plain dict, like the Oefenbank (``oefenbank.py``): no learner, no
database, no clock. A made-up portal of the made-up "Oefenoverheid", with a look of its
own (no government logo, not the real Burgerprofiel's layout):

    start  ->  keys  ->  itsme (practice phone number)  ->  confirm (oefen-itsme)
           ->  profile  ->  documents  ->  done (the practice certificate, a PDF)

Only oefen-itsme works here: choosing another digital key gives a kind message (and an
error kind the digihelper sees). The learner's task is one certificate, the
``TARGET_DOCUMENT``; choosing another one is a mistake with a kind message. Every screen
is one plain HTML form carrying ``scherm``; a form for another screen changes nothing.

The practice certificate is made by ``learning`` (a PDF, see ``download``) and only for a
run on the done screen; it shows the fictional person and says on every page that it is
a practice document, not a real certificate.
"""

import copy
from datetime import timedelta

from django.utils.text import format_lazy
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
    common_action,
    passes,
)

SCENARIO = "oefenprofiel-attest"
LABEL = _("Mijn Oefenprofiel: aanmelden en een attest downloaden")
TEXTS = {
    "title": _("Mijn Oefenprofiel"),
    "about": _(
        "Je oefent aanmelden op een nagemaakte website van de overheid. Je meldt je aan met "
        "oefen-itsme. Dan zoek je je attest gezinssamenstelling en download je het. Het "
        "attest is niet echt. Er kan niets mislopen."
    ),
    "open": _("Open Mijn Oefenprofiel"),
    "go_on": _("Ga verder in Mijn Oefenprofiel"),
    "go_to": _("Naar Mijn Oefenprofiel"),
    "passed": _("Goed zo! Je hebt Mijn Oefenprofiel afgewerkt."),
    "again": _("Nog eens oefenen in Mijn Oefenprofiel"),
    "guided_only": _(
        "Je hebt Mijn Oefenprofiel afgewerkt met hulp. Probeer het nu eens zonder hulp. "
        "Dan is deze stap gelukt."
    ),
}
TEMPLATE = "learning/_sandbox_oefenprofiel.html"
# Made up for the platform: no real portal, government or logo.
BRAND = "Mijn Oefenprofiel"
GOVERNMENT = "Oefenoverheid"
# The practice mobile number shown on screen: ten digits from 04, plainly not a person's.
PHONE = "0470 00 00 00"
# Shown on screen and in hints: always set left to right, also in an Arabic sentence.
CODES = [PHONE, ITSME_CODE]

# Screens, in order. Also the ``step`` of every event.
HOME, KEYS, ITSME, CONFIRM, PROFILE, DOCUMENTS, DONE = (
    "start",
    "keys",
    "itsme",
    "confirm",
    "profile",
    "documents",
    "done",
)
SCREENS = [HOME, KEYS, ITSME, CONFIRM, PROFILE, DOCUMENTS, DONE]
# Logged in: these log out after ``common.IDLE_LIMIT``. The done screen does not: the run
# is completed and its certificate stays to download.
ACTIVE = {PROFILE, DOCUMENTS}
LOGGED_OUT = {"opened": ""}

# Actions of this scenario's screens (the forms' "actie").
LOG_IN = "aanmelden"
CHOOSE_KEY = "sleutel"
SEND_PHONE = "gsm"
CONFIRM_CODE = "bevestig"
CHANGE_PHONE = "ander_nummer"
OPEN_MENU = "menu"
DOWNLOAD = "download"
ACTIONS = COMMON_ACTIONS | {
    LOG_IN,
    CHOOSE_KEY,
    SEND_PHONE,
    CONFIRM_CODE,
    CHANGE_PHONE,
    OPEN_MENU,
    DOWNLOAD,
}

# The digital keys, most to least secure (DOMAIN.md), as the real portals offer them.
# Only oefen-itsme is part of this exercise.
KEY_ITSME = "itsme"
KEYS_OFFERED = [
    ("eid", _("eID en kaartlezer")),
    (KEY_ITSME, _("oefen-itsme")),
    ("app", _("Beveiligingscode via een app")),
    ("sms", _("Beveiligingscode via sms")),
    ("wachtwoord", _("Gebruikersnaam en wachtwoord")),
]
KEY_NAMES = dict(KEYS_OFFERED)

# The menu of the logged-in portal.
MENU_DOCUMENTS, MENU_DETAILS, MENU_MESSAGES = "documenten", "gegevens", "berichten"
MENU = [
    (MENU_DOCUMENTS, _("Mijn documenten")),
    (MENU_DETAILS, _("Mijn gegevens")),
    (MENU_MESSAGES, _("Mijn berichten")),
]

# The practice certificates on the documents screen; the task is the first.
TARGET_DOCUMENT = "gezinssamenstelling"
DOCUMENTS_OFFERED = [
    (TARGET_DOCUMENT, _("Attest gezinssamenstelling")),
    ("strafregister", _("Uittreksel uit het strafregister (model van goed zedelijk gedrag)")),
    ("woonst", _("Bewijs van woonst")),
    ("leven", _("Attest van leven")),
]
DOCUMENT_NAMES = dict(DOCUMENTS_OFFERED)

# The fictional person and household on the screens and the certificate.
PERSON = {
    "name": "Sam Oefenaar",
    "street": "Oefenstraat 1",
    "town": "9999 Oefendorp",
    "born": _("1 januari 1960"),
}
HOUSEHOLD = [
    ("Sam Oefenaar", _("referentiepersoon"), _("1 januari 1960")),
    ("Lou Oefenaar", _("partner"), _("2 februari 1962")),
    ("Mo Oefenaar", _("kind"), _("3 maart 2010")),
]

# Error kinds: stored with an ERROR event, and the key of the learner's message.
KEY_NOT_HERE = {key: f"key_{key}" for key, _name in KEYS_OFFERED if key != KEY_ITSME}
PHONE_MISSING = "phone_missing"
WRONG_PHONE = "wrong_phone"
REAL_PHONE = "real_phone"
WRONG_MENU = "wrong_menu"
WRONG_DOCUMENT = "wrong_document"

# For the helper's and the trainer's pages (``courses.sandboxes.step_label``): the screens
# and the mistakes in easy Dutch.
TITLE = LABEL
STEP_LABELS = {
    HOME: _("portaal openen"),
    KEYS: _("digitale sleutel kiezen"),
    ITSME: _("gsm-nummer invullen"),
    CONFIRM: _("bevestigen met oefen-itsme"),
    PROFILE: _("menu kiezen"),
    DOCUMENTS: _("attest kiezen"),
    DONE: _("attest downloaden"),
}
ERROR_LABELS = {
    **common.ERROR_LABELS,
    # One label per key, so "eID" and "sms" are two lines for the helper, not the same twice.
    **{
        kind: format_lazy(_("{key} gekozen in plaats van oefen-itsme"), key=KEY_NAMES[key])
        for key, kind in KEY_NOT_HERE.items()
    },
    PHONE_MISSING: _("gsm-nummer vergeten"),
    WRONG_PHONE: _("verkeerd oefen-gsm-nummer"),
    REAL_PHONE: _("leek op een echt gsm-nummer (niet bewaard)"),
    WRONG_MENU: _("verkeerde keuze in het menu"),
    WRONG_DOCUMENT: _("verkeerd attest gekozen"),
}

MESSAGES = {
    KEY_NOT_HERE["eid"]: _(
        "Aanmelden met je eID en kaartlezer is heel veilig. Maar in deze oefening kan dat "
        "niet. Kies oefen-itsme."
    ),
    KEY_NOT_HERE["app"]: _(
        "Een beveiligingscode via een app kan in het echt. Maar in deze oefening kan dat "
        "niet. Kies oefen-itsme."
    ),
    KEY_NOT_HERE["sms"]: _(
        "Een beveiligingscode via sms kan in het echt. Maar in deze oefening kan dat niet. "
        "Kies oefen-itsme."
    ),
    KEY_NOT_HERE["wachtwoord"]: _(
        "Een gebruikersnaam en wachtwoord is de minst veilige sleutel. In deze oefening kan "
        "dat niet. Kies oefen-itsme."
    ),
    PHONE_MISSING: _("Typ het gsm-nummer van het scherm: 0470 00 00 00."),
    WRONG_PHONE: _(
        "Dit is niet het oefennummer. Kijk naar het gsm-nummer op het scherm en typ het over."
    ),
    REAL_PHONE: _(
        "Dit lijkt op een echt gsm-nummer. Typ nooit je echte gegevens. We hebben het niet "
        "bewaard. Gebruik het oefennummer op het scherm."
    ),
    WRONG_ITSME_CODE: common.WRONG_ITSME_MESSAGE,
    WRONG_MENU: _("Hier staat je attest niet. Je attesten vind je bij Mijn documenten."),
    WRONG_DOCUMENT: _("Dit is niet het attest dat je zoekt. Zoek het Attest gezinssamenstelling."),
    TIMEOUT: _(
        "Je was meer dan 10 minuten weg. Daarom ben je afgemeld, net als op een echte "
        "website van de overheid. Meld je opnieuw aan."
    ),
    **common.REAL_DATA_MESSAGES,
    "real_iban": _(
        "Dit lijkt op een echt rekeningnummer. Typ nooit je echte gegevens. We hebben het "
        "niet bewaard. Gebruik de oefengegevens op het scherm."
    ),
}

# One hint per screen, and the field or button it points at (guided mode highlights it).
HINTS = {
    HOME: (_("Je wilt je aanmelden. Tik op Aanmelden."), LOG_IN),
    KEYS: (
        _("Je kiest een digitale sleutel. In deze oefening werkt alleen oefen-itsme. Tik erop."),
        KEY_ITSME,
    ),
    ITSME: (_("Typ het oefennummer 0470 00 00 00. Tik dan op Verstuur."), "phone"),
    CONFIRM: (
        _("Kijk in oefen-itsme. Typ je oefencode 13579 en tik op Bevestigen."),
        "itsme_code",
    ),
    PROFILE: (
        _("Je bent aangemeld. Je attest staat bij je documenten. Tik op Mijn documenten."),
        MENU_DOCUMENTS,
    ),
    DOCUMENTS: (
        _("Zoek het Attest gezinssamenstelling. Tik op Downloaden naast dat attest."),
        TARGET_DOCUMENT,
    ),
    DONE: (
        _("Klaar! Tik op Open je oefenattest. Dan zie je het attest als pdf."),
        "pdf",
    ),
}

# The fields each action reads; the guardrails look at these before anything else. None is
# ever kept in the state.
FIELDS = {SEND_PHONE: ["phone"], CONFIRM_CODE: ["itsme_code"]}
# Logging in with oefen-itsme may also be confirmed on the learner's own smartphone, by
# QR code (learning.services.pairing), as with the real itsme.
PAIRING = {CONFIRM: SecondDevice(action=CONFIRM_CODE, field="itsme_code", code=ITSME_CODE)}


def new_state(*, mode: str) -> dict:
    return {
        **common.base_state(screen=HOME, mode=mode),
        "key": "",  # the key the learner last chose (only ever one of KEYS_OFFERED)
        "opened": "",  # the menu item shown on the profile screen
        "document": "",  # the certificate downloaded (TARGET_DOCUMENT once done)
    }


def start(*, mode: str, **_options) -> Outcome:
    """A new run on the portal's home page; the author's other options (a balance) are for
    other scenarios."""
    return Outcome(new_state(mode=mode), [Event(LAUNCHED, HOME)])


def timed_out(state: dict, idle: timedelta) -> bool:
    return common.timed_out(state, idle, active=ACTIVE)


def shown(state: dict, idle: timedelta) -> dict:
    """The state as the learner sees it now: a logged-in run idle too long shows the home
    page with the time-out message (the next form stores that, see ``apply``)."""
    if not timed_out(state, idle):
        return state
    return common.logged_out(state, to=HOME, cleared=LOGGED_OUT)


def screen_context(state: dict) -> dict:
    """What this scenario's screens (``TEMPLATE``) show besides the common parts."""
    return {
        "brand": BRAND,
        "government": GOVERNMENT,
        "phone": PHONE,
        "itsme_code": ITSME_CODE,
        "keys": KEYS_OFFERED,
        "menu": MENU,
        "documents": DOCUMENTS_OFFERED,
        "target_document": DOCUMENT_NAMES[TARGET_DOCUMENT],
        "person": PERSON,
        "household": HOUSEHOLD,
        "opened": state.get("opened", ""),
    }


def apply(state: dict, action: str, data, *, idle: timedelta) -> Outcome:
    """The state after one form, and the events it makes (see ``oefenbank.apply``): a
    logged-in run idle for more than ``IDLE_LIMIT`` is logged out first."""
    state, events = common.time_out_first(
        copy.deepcopy(state), action, idle, active=ACTIVE, to=HOME, cleared=LOGGED_OUT
    )
    shared = common_action(state, action, data, fresh=new_state(mode=state["mode"]), events=events)
    if shared is not None:
        return shared

    handler = HANDLERS.get((state["screen"], action))
    if handler is None or data.get("scherm") != state["screen"]:
        return Outcome(state, events, ignored=not events)
    if state["mode"] == GUIDED:
        state["guided_used"] = True
    values = common.form_values(data, FIELDS.get(action, []))
    refused = common.refuse_real_data(state, values, events)
    if refused is not None:
        return refused
    if state["notice"] != TIMEOUT:  # the time-out stays in view until the login works
        state["notice"] = ""
    return handler(state, values, data, events)


def _error(state, field, kind, events):
    state["errors"] = {field: kind}
    return Outcome(state, [*events, Event(ERROR, state["screen"], kind)])


def _log_in(state, values, data, events):
    common.go(state, KEYS)
    return Outcome(state, [*events, Event(STEP_PASSED, HOME)])


def _choose_key(state, values, data, events):
    key = str(data.get("sleutel", ""))
    if key not in KEY_NAMES:
        return Outcome(state, events, ignored=not events)
    state["key"] = key
    if key != KEY_ITSME:
        return _error(state, "key", KEY_NOT_HERE[key], events)
    common.go(state, ITSME)
    return Outcome(state, [*events, Event(STEP_PASSED, KEYS)])


def _send_phone(state, values, data, events):
    typed = values["phone"]
    if not typed.strip():
        return _error(state, "phone", PHONE_MISSING, events)
    if guardrails.real_mobile(typed, practice=PHONE):
        state["notice"] = REAL_PHONE
        return _error(state, "phone", REAL_PHONE, events)
    if checks.belgian_mobile(typed) != checks.belgian_mobile(PHONE):
        return _error(state, "phone", WRONG_PHONE, events)
    common.go(state, CONFIRM)
    return Outcome(state, [*events, Event(STEP_PASSED, ITSME)])


def _change_phone(state, values, data, events):
    common.go(state, ITSME)
    return Outcome(state, events)


def _confirm(state, values, data, events):
    if not common.itsme_code_ok(values["itsme_code"]):
        return _error(state, "itsme_code", WRONG_ITSME_CODE, events)
    common.go(state, PROFILE)
    state["opened"] = ""
    return Outcome(state, [*events, Event(STEP_PASSED, CONFIRM)])


def _open_menu(state, values, data, events):
    item = str(data.get("menu", ""))
    if item not in dict(MENU):
        return Outcome(state, events, ignored=not events)
    if item != MENU_DOCUMENTS:
        # The page opens (the practice data or an empty inbox), with a pointer to the task.
        state["opened"] = item
        return _error(state, "menu", WRONG_MENU, events)
    common.go(state, DOCUMENTS)
    state["opened"] = ""
    return Outcome(state, [*events, Event(STEP_PASSED, PROFILE)])


def _download(state, values, data, events):
    document = str(data.get("document", ""))
    if document not in DOCUMENT_NAMES:
        return Outcome(state, events, ignored=not events)
    if document != TARGET_DOCUMENT:
        return _error(state, "document", WRONG_DOCUMENT, events)
    state["document"] = document
    common.mark_completed(state)
    common.go(state, DONE)
    return Outcome(state, [*events, Event(STEP_PASSED, DOCUMENTS), Event(COMPLETED, DONE)])


HANDLERS = {
    (HOME, LOG_IN): _log_in,
    (KEYS, CHOOSE_KEY): _choose_key,
    (ITSME, SEND_PHONE): _send_phone,
    (CONFIRM, CONFIRM_CODE): _confirm,
    (CONFIRM, CHANGE_PHONE): _change_phone,
    (PROFILE, OPEN_MENU): _open_menu,
    (DOCUMENTS, DOWNLOAD): _download,
}


def right_walk() -> list[tuple[str, dict]]:
    """The forms of a learner without a mistake, from the home page to done: (action,
    values), each sent with its screen's hidden fields."""
    return [
        (LOG_IN, {}),
        (CHOOSE_KEY, {"sleutel": KEY_ITSME}),
        (SEND_PHONE, {"phone": PHONE}),
        (CONFIRM_CODE, {"itsme_code": ITSME_CODE}),
        (OPEN_MENU, {"menu": MENU_DOCUMENTS}),
        (DOWNLOAD, {"document": TARGET_DOCUMENT}),
    ]


def pairing_question(state: dict) -> str:
    """The one sentence the smartphone shows about what it confirms (``PAIRING``): the
    portal asks to log in, nothing about the learner."""
    return _("%(brand)s vraagt: wil je je aanmelden?") % {"brand": BRAND}


def message_for(kind: str) -> str:
    return str(MESSAGES.get(kind, ""))


def guide(state: dict) -> dict:
    """The hint of the current screen and what it points at, or empty when it is hidden."""
    if not common.hint_shown(state):
        return {}
    text, target = HINTS[state["screen"]]
    return {"text": str(text), "target": target}


def download(state: dict) -> dict | None:
    """The practice certificate of a run on the done screen, or None (no certificate yet,
    or the run started over): the PDF's template, file name and what it shows (the view
    adds the date, ``today``)."""
    if state.get("screen") != DONE or state.get("document") != TARGET_DOCUMENT:
        return None
    return {
        "template": "learning/sandbox_oefenattest_pdf.html",
        "filename": "oefenattest-gezinssamenstelling.pdf",
        "context": {
            "title": DOCUMENT_NAMES[TARGET_DOCUMENT],
            "brand": BRAND,
            "government": GOVERNMENT,
            "person": PERSON,
            "household": HOUSEHOLD,
        },
    }
