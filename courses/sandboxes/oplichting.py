"""The Oefen-inbox: a scam drill. Six made-up SMS and e-mails, some fake, some real.

A state machine over a plain dict (stored as JSON by ``learning``), like the Oefenbank: no
learner, no database, no clock. The learner opens a message, says whether it is real or
fake (echt / vals) and what they would do, and reads the feedback: right or not, the signs
in that message, and the right action (forward it to suspicious@safeonweb.be, call
Cardstop 070 344 344 when bank details were given, or just do what a real message says).

    inbox  ->  message  ->  feedback  ->  inbox  ->  ...  ->  done (the summary)

Every screen is one plain HTML form; a form carries the screen it was made for
(``scherm``) and the message it is about (``bericht``), and a form for another screen or
another message is ignored, so Back and reload never judge a message twice.

**When is the drill done?** When every message has been judged right. A message judged
wrong shows its signs and the right action, and is marked "probeer opnieuw" in the inbox;
the learner judges the others and comes back to it. We chose this over "done when all
are judged, passed with at most one mistake" because a learner who fell for a message
learns most from doing the right thing once themselves, and because a score threshold
would send a learner who made two mistakes back to the start of the whole drill, which
discourages exactly the learners this drill is for. Nothing is lost for the digihelper:
every wrong judgement is recorded as an error event (``step`` is the message, ``error``
the kind: ``fake_called_real``, ``wrong_action_clicked_link``...), and the summary says
how many messages the learner recognised at the first try. ``passes`` is the common rule
(``common.passes``): done, and done without the guide unless the author lets guided count.

There is no time-out (an inbox does not log out), so ``shown`` returns the state. And
there is no free text at all, only choices from fixed lists: the real-data guardrails
(``guardrails.py``) have nothing to check, and nothing the learner could type is stored.

The links in the messages are text, never ``<a>``: they use the reserved ``.example``
top-level domain (RFC 2606), so even typed over they lead nowhere. The phone numbers of
the fake senders are in the UK's range for drama (+44 7700 900xxx), never in use.
"""

import copy
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from courses.sandboxes.common import (  # noqa: F401 - part of this scenario's interface
    COMMON_ACTIONS,
    COMPLETED,
    ERROR,
    FREE,
    GUIDED,
    HINT_USED,
    LAUNCHED,
    MODES,
    RESET,
    RESET_DONE,
    SHOW_HINT,
    START,
    STEP_PASSED,
    SWITCH_MODE,
    Event,
    Outcome,
    base_state,
    codes_left_to_right,
    common_action,
    go,
    hint_shown,
    mark_completed,
    passes,
)

SCENARIO = "oefen-inbox"
LABEL = _("Oefen-inbox: echte en valse berichten herkennen")
TEXTS = {
    "title": _("Oefen-inbox"),
    "about": _(
        "In de Oefen-inbox krijg je sms'jes en e-mails. Sommige zijn echt, andere zijn vals. "
        "Zeg bij elk bericht: is het echt of vals? En wat doe je? De links werken niet. "
        "Er kan niets mislopen."
    ),
    "open": _("Open de Oefen-inbox"),
    "go_on": _("Ga verder in de Oefen-inbox"),
    "go_to": _("Naar de Oefen-inbox"),
    "passed": _("Goed zo! Je hebt alle berichten in de Oefen-inbox herkend."),
    "again": _("Nog eens oefenen in de Oefen-inbox"),
    "guided_only": _(
        "Je hebt de Oefen-inbox afgewerkt met hulp. Probeer het nu eens zonder hulp. "
        "Dan is deze stap gelukt."
    ),
}
TEMPLATE = "learning/_sandbox_oplichting.html"
CARDSTOP = "070 344 344"
SAFEONWEB = "suspicious@safeonweb.be"
# Set left to right wherever they appear, also in an Arabic sentence.
CODES = [CARDSTOP]

# Screens, in order; the first is where a run starts.
INBOX, MESSAGE, FEEDBACK, DONE = "inbox", "message", "feedback", "done"
SCREENS = [INBOX, MESSAGE, FEEDBACK, DONE]

# Actions of this scenario's screens (the forms' "actie").
OPEN = "open"
JUDGE = "judge"
TO_INBOX = "inbox"
SUMMARY = "summary"
ACTIONS = COMMON_ACTIONS | {OPEN, JUDGE, TO_INBOX, SUMMARY}

# The judge form: "oordeel" (real or fake) and "doe" (what the learner would do).
REAL, FAKE = "echt", "vals"
VERDICTS = [(REAL, _("Echt")), (FAKE, _("Vals"))]
SMS, EMAIL = "sms", "email"

# What a learner may choose to do. Each message offers three or four of these.
DO = "doen"
CLICK = "link"
FORWARD = "doorsturen"
CALL_SENDER = "afzender"
REPLY = "antwoorden"
CARDSTOP_CALL = "cardstop"
WAIT = "afwachten"
CHOICE_LABELS = {
    DO: _("Ik lees het en doe wat er staat."),
    CLICK: _("Ik tik op de link en doe wat er staat."),
    CALL_SENDER: _("Ik bel de afzender en vraag wat er is."),
    REPLY: _("Ik antwoord op het bericht met mijn gegevens."),
    CARDSTOP_CALL: _("Ik bel meteen Cardstop op 070 344 344. Daarna bel ik mijn bank."),
    WAIT: _("Ik wacht af. Misschien is er niets aan de hand."),
}
FORWARD_LABELS = {
    SMS: _(
        "Ik maak een schermafbeelding en stuur die naar suspicious@safeonweb.be. Dan wis ik de sms."
    ),
    EMAIL: _("Ik stuur de e-mail door naar suspicious@safeonweb.be. Dan wis ik hem."),
}

# Error kinds: stored with an ERROR event (its step is the message), and the key of what
# the learner reads about the mistake on the feedback screen.
VERDICT_MISSING = "verdict_missing"
ACTION_MISSING = "action_missing"
FAKE_CALLED_REAL = "fake_called_real"
REAL_CALLED_FAKE = "real_called_fake"
ACTION_ERRORS = {
    DO: "wrong_action_obeyed_fake",
    CLICK: "wrong_action_clicked_link",
    CALL_SENDER: "wrong_action_called_sender",
    REPLY: "wrong_action_replied",
    CARDSTOP_CALL: "wrong_action_called_cardstop",
    WAIT: "wrong_action_waited",
}
REPORTED_REAL = "wrong_action_reported_real"
ONLY_FORWARDED = "wrong_action_only_forwarded"

MESSAGES = {
    VERDICT_MISSING: _("Kies echt of vals."),
    ACTION_MISSING: _("Kies wat je doet."),
    FAKE_CALLED_REAL: _("Je dacht dat dit bericht echt was. Het is vals."),
    REAL_CALLED_FAKE: _("Je dacht dat dit bericht vals was. Het is echt."),
    "wrong_action_obeyed_fake": _("Doe nooit wat een vals bericht vraagt."),
    "wrong_action_clicked_link": _("Tik nooit op een link in een verdacht bericht."),
    "wrong_action_called_sender": _(
        "Bel de afzender van een verdacht bericht niet. Dan bel je misschien de oplichter."
    ),
    "wrong_action_replied": _("Antwoord nooit op een verdacht bericht. Geef nooit je gegevens."),
    "wrong_action_called_cardstop": _(
        "Cardstop bel je als je bankgegevens gaf. Dat is hier niet nodig."
    ),
    "wrong_action_waited": _(
        "Wacht niet af. Je gaf bankgegevens. Bel meteen Cardstop op 070 344 344."
    ),
    REPORTED_REAL: _("Dit bericht is echt. Je hoeft het niet door te sturen."),
    ONLY_FORWARDED: _(
        "Doorsturen is goed. Maar je gaf al bankgegevens. Bel dus eerst Cardstop op 070 344 344."
    ),
}


@dataclass(frozen=True)
class Message:
    """One message in the inbox. ``sender`` and ``address`` (a number or an e-mail address)
    and ``link`` are shown as they are, in every language; the rest is translated."""

    id: str  # at most 20 characters: it is the ``step`` of the message's events
    channel: str  # SMS or EMAIL
    sender: str
    time: str | Promise
    body: tuple
    real: bool
    choices: tuple  # what the learner may do, in the order shown
    right: str  # the right one of ``choices``
    signs: tuple  # why it is fake, or why it is real
    advice: str | Promise  # the right action, said in full
    hint: str | Promise  # the guide's hint on this message
    hint_target: str  # what the hint points at: "afzender", "link", "tekst" or "situatie"
    address: str = ""
    subject: str | Promise = ""
    link: str = ""
    # What happened before, when the message alone does not say it ("Stel je voor: ...").
    situation: str | Promise = ""

    @property
    def first_line(self):
        return self.subject or self.body[0]


MESSAGE_LIST = [
    Message(
        id="itsme-geblokkeerd",
        channel=SMS,
        sender="+44 7700 900461",
        time="09:41",
        body=(
            _("itsme: je account is geblokkeerd!"),
            _("Bevestig vandaag nog je gegevens. Anders wordt je account gewist."),
        ),
        link="https://itsme-herstel.be-login.example",
        real=False,
        choices=(CLICK, CALL_SENDER, FORWARD),
        right=FORWARD,
        signs=(
            _("Haast: je moet het vandaag nog doen."),
            _("Een vreemde afzender: een buitenlands nummer. itsme stuurt je zo geen sms."),
            _("Een link naar een vreemde website. Dat is niet de website van itsme."),
            _("Het bericht wil je gegevens."),
        ),
        advice=_(
            "Tik niet op de link. Maak een schermafbeelding van de sms. Stuur die naar "
            "suspicious@safeonweb.be. Wis dan de sms. Twijfel je? Open zelf de itsme-app."
        ),
        hint=_("Kijk naar het nummer van de afzender. Stuurt itsme je zo een sms?"),
        hint_target="afzender",
    ),
    Message(
        id="gemeente-afval",
        channel=EMAIL,
        sender="Gemeente Klaverbeek",
        address="afvaldienst@klaverbeek.example",
        time="09:15",
        subject=_("De nieuwe afvalkalender"),
        body=(
            _("Beste inwoner,"),
            _(
                "De afvalkalender voor volgend jaar is klaar. Je krijgt hem volgende week "
                "in je brievenbus."
            ),
            _("Je kunt hem ook afhalen aan het onthaal van het gemeentehuis."),
            _("Vriendelijke groeten, de afvaldienst"),
        ),
        real=True,
        choices=(DO, FORWARD, CARDSTOP_CALL),
        right=DO,
        signs=(
            _("Er is geen haast."),
            _("Er staat geen link in."),
            _("Niemand vraagt je codes, gegevens of geld."),
            _("Het bericht komt van je gemeente en gaat over iets gewoons."),
        ),
        advice=_("Dit bericht is echt. Je hoeft niets te doen. De kalender komt in je brievenbus."),
        hint=_("Staat er een link in? Moet je snel zijn? Vraagt iemand codes of geld?"),
        hint_target="tekst",
    ),
    Message(
        id="pakje-kosten",
        channel=SMS,
        sender="+44 7700 900782",
        time="08:03",
        body=(
            _("bpost: je pakje kan niet geleverd worden. Er is nog 1,99 euro te betalen."),
            _("Betaal binnen 24 uur. Anders gaat je pakje terug."),
        ),
        link="https://bpost-levering.example/betaal",
        real=False,
        choices=(CLICK, REPLY, FORWARD),
        right=FORWARD,
        signs=(
            _("Haast: je moet binnen 24 uur betalen."),
            _("Een vreemde afzender: een buitenlands nummer."),
            _("Je moet betalen via een link in een sms."),
        ),
        advice=_(
            "Tik niet op de link. Maak een schermafbeelding van de sms. Stuur die naar "
            "suspicious@safeonweb.be. Wis dan de sms. Wacht je op een pakje? Kijk dan zelf "
            "in de app of op de website van de pakjesdienst."
        ),
        hint=_("Wacht je op een pakje? Moet je echt betalen via een link in een sms?"),
        hint_target="link",
    ),
    Message(
        id="belasting-terug",
        channel=EMAIL,
        sender="FOD Financiën",
        address="terugbetaling.fod@webpost.example",
        time=_("Gisteren, 20:47"),
        # The mistakes are on purpose: bad spelling is one of the signs.
        subject=_("Uw terugbetalling van 287,40 euro"),
        body=(
            _("Geachte heer, mevrouw,"),
            _("U heeft recht op een terugbetalling van 287,40 euro."),
            _("Vul binnen 48 uur uw bankkaart gegevens in. Anders vervalt uw geld."),
            _("Klik hier:"),
        ),
        link="https://myminfin-terugbetaling.example",
        real=False,
        choices=(CLICK, REPLY, FORWARD),
        right=FORWARD,
        signs=(
            _("Haast: je moet het binnen 48 uur doen."),
            _("Een vreemde afzender: de overheid mailt niet van zo'n adres."),
            _("Een link en een vraag naar je bankkaart. De overheid vraagt dat nooit via e-mail."),
            _("Schrijffouten, zoals 'terugbetalling'."),
        ),
        advice=_(
            "Klik niet op de link. Stuur de e-mail door naar suspicious@safeonweb.be. Wis hem "
            "dan. Twijfel je? Log zelf in op MyMinfin."
        ),
        hint=_("Lees het adres van de afzender goed. Zie je ook fouten in de tekst?"),
        hint_target="afzender",
    ),
    Message(
        id="digipunt",
        channel=SMS,
        sender="Digipunt",
        time=_("Gisteren, 16:05"),
        situation=_("Je schreef je vorige week in voor een digimoment in de bibliotheek."),
        body=(
            _("Hallo! Morgen om 14 uur is je digimoment in de bibliotheek."),
            _("Neem je smartphone en je oplader mee."),
            _("Kun je niet komen? Zeg het aan de balie van de bib. Tot morgen!"),
        ),
        real=True,
        choices=(DO, FORWARD, CARDSTOP_CALL),
        right=DO,
        signs=(
            _("Je wist dat dit bericht zou komen: je schreef je in."),
            _("Er staat geen link in."),
            _("Niemand vraagt je codes, gegevens of geld."),
        ),
        advice=_(
            "Dit bericht is echt. Ga morgen om 14 uur naar het digimoment. Neem je smartphone mee."
        ),
        hint=_("Wist je dat dit bericht zou komen? Vraagt het codes of geld?"),
        hint_target="situatie",
    ),
    Message(
        id="kaartlezer",
        channel=EMAIL,
        sender="Bank Service",
        address="veiligheid@mijnbank-beveiliging.example",
        time=_("Maandag, 11:30"),
        situation=_(
            "Stel je voor: je klikte maandag op de link in deze e-mail. Je typte je "
            "kaartnummer en een code van je kaartlezer."
        ),
        subject=_("Bevestig uw kaartlezer"),
        body=(
            _("Beste klant,"),
            _(
                "Uw kaartlezer moet opnieuw bevestigd worden. Doe dit voor vrijdag. Anders "
                "werkt uw bankkaart niet meer."
            ),
            _("Klik op de link en volg de stappen:"),
        ),
        link="https://mijnbank-kaartlezer.example/bevestig",
        real=False,
        choices=(WAIT, CALL_SENDER, FORWARD, CARDSTOP_CALL),
        right=CARDSTOP_CALL,
        signs=(
            _("Haast: je moet het voor vrijdag doen."),
            _("Een vreemde afzender: dat is niet het adres van je bank."),
            _("Een link en een vraag naar je kaartnummer en codes. Je bank vraagt nooit je codes."),
        ),
        advice=_(
            "Je gaf al bankgegevens. Bel dan meteen Cardstop op 070 344 344. Cardstop "
            "blokkeert je bankkaart. Bel daarna je bank. Stuur de e-mail ook door naar "
            "suspicious@safeonweb.be. Ben je geld kwijt? Ga dan naar de politie."
        ),
        hint=_("Je gaf al je kaartnummer en een code. Wie blokkeert dan je bankkaart?"),
        hint_target="situatie",
    ),
]
BY_ID = {message.id: message for message in MESSAGE_LIST}

# For the helper's and the trainer's pages (``courses.sandboxes.step_label``): a judgement's
# events have the message as their step, so each message is named by its first line.
TITLE = LABEL
STEP_LABELS = {
    INBOX: _("inbox bekijken"),
    MESSAGE: _("bericht beoordelen"),
    FEEDBACK: _("uitleg lezen"),
    DONE: _("resultaat bekijken"),
    **{
        message.id: format_lazy(_("het bericht „{message}”"), message=message.first_line)
        for message in MESSAGE_LIST
    },
}
ERROR_LABELS = {
    VERDICT_MISSING: _("echt of vals niet gekozen"),
    ACTION_MISSING: _("niet gekozen wat te doen"),
    FAKE_CALLED_REAL: _("vals bericht echt genoemd"),
    REAL_CALLED_FAKE: _("echt bericht vals genoemd"),
    "wrong_action_obeyed_fake": _("zou doen wat het valse bericht vraagt"),
    "wrong_action_clicked_link": _("zou op de link tikken"),
    "wrong_action_called_sender": _("zou de afzender bellen"),
    "wrong_action_replied": _("zou antwoorden"),
    "wrong_action_called_cardstop": _("zou Cardstop bellen, niet nodig"),
    "wrong_action_waited": _("zou afwachten in plaats van Cardstop bellen"),
    REPORTED_REAL: _("zou een echt bericht doorsturen als verdacht"),
    ONLY_FORWARDED: _("zou alleen doorsturen, Cardstop niet bellen"),
}

# The hints besides each message's own, and what they point at (the guide frames it).
INBOX_HINT = _("Tik op een bericht dat je nog niet beoordeelde. Begin bovenaan.")
SUMMARY_HINT = _("Alle berichten zijn goed beoordeeld. Tik op Bekijk je resultaat.")
HINTS = {
    FEEDBACK: (_("Lees waarom. Tik dan op Terug naar de inbox."), TO_INBOX),
    DONE: (_("Klaar! Wil je nog eens oefenen? Tik op Opnieuw beginnen."), RESET),
}


def new_state(*, mode: str) -> dict:
    return {
        **base_state(screen=INBOX, mode=mode),
        "open": "",  # the message on the message or feedback screen
        # What was chosen before a "kies ..." error, shown again: only values from the
        # fixed lists are ever put here.
        "draft": {},
        # Per message: the latest judgement {"oordeel", "doe", "right"}.
        "judged": {},
        # Per message: right at the first try (the summary counts these).
        "first": {},
    }


def start(*, mode: str, **_options) -> Outcome:
    """A new run on the inbox. The author's options (a balance) are for other scenarios."""
    return Outcome(new_state(mode=mode), [Event(LAUNCHED, INBOX)])


def shown(state: dict, idle) -> dict:
    """An inbox does not log out: the state as it is. Only a message that is no longer in
    the drill (changed content) sends the learner back to the inbox."""
    if state["screen"] in (MESSAGE, FEEDBACK) and state.get("open") not in BY_ID:
        return {**state, "screen": INBOX, "open": "", "errors": {}}
    return state


def can_reset(state: dict) -> bool:
    """Starting over changes something: a message was judged, or the run is elsewhere
    than the inbox. (The view shows "Opnieuw beginnen" then; a scenario without this
    function offers it on every screen but its first.)"""
    return state["screen"] != INBOX or bool(state["judged"])


def is_right(state: dict, message_id: str) -> bool:
    return bool(state["judged"].get(message_id, {}).get("right"))


def all_right(state: dict) -> bool:
    return all(is_right(state, message.id) for message in MESSAGE_LIST)


def next_to_judge(state: dict) -> Message | None:
    return next((message for message in MESSAGE_LIST if not is_right(state, message.id)), None)


def apply(state: dict, action: str, data, *, idle=None) -> Outcome:
    """The state after one form, and the events it makes. ``data`` is the form (a dict or
    QueryDict): ``scherm`` is the screen it was made for; ``idle`` is not used."""
    state = copy.deepcopy(state)
    common = common_action(state, action, data, fresh=new_state(mode=state["mode"]))
    if common is not None:
        return common
    handler = HANDLERS.get((state["screen"], action))
    if handler is None or data.get("scherm") != state["screen"]:
        return Outcome(state, ignored=True)
    outcome = handler(state, data)
    if not outcome.ignored and state["mode"] == GUIDED:
        outcome.state["guided_used"] = True
    return outcome


def _open(state, data):
    message = BY_ID.get(str(data.get("bericht", "")))
    if message is None:
        return Outcome(state, ignored=True)
    # A message judged right opens on its feedback, to read again; it is not judged twice.
    go(state, FEEDBACK if is_right(state, message.id) else MESSAGE)
    state.update(open=message.id, draft={})
    return Outcome(state)


def _judge(state, data):
    message = BY_ID.get(state["open"])
    if message is None or data.get("bericht") != message.id or is_right(state, message.id):
        return Outcome(state, ignored=True)
    verdict = data.get("oordeel")
    verdict = verdict if verdict in (REAL, FAKE) else ""
    chosen = data.get("doe")
    chosen = chosen if chosen in message.choices else ""
    missing = {}
    if not verdict:
        missing["oordeel"] = VERDICT_MISSING
    if not chosen:
        missing["doe"] = ACTION_MISSING
    if missing:
        # What was chosen stays chosen; nothing is judged yet.
        state.update(errors=missing, draft={"oordeel": verdict, "doe": chosen})
        return Outcome(state, [Event(ERROR, message.id, kind) for kind in missing.values()])

    mistakes = judgement_errors(message, verdict, chosen)
    right = not mistakes
    state["judged"][message.id] = {"oordeel": verdict, "doe": chosen, "right": right}
    state["first"].setdefault(message.id, right)
    go(state, FEEDBACK)
    state["draft"] = {}
    if not right:
        return Outcome(state, [Event(ERROR, message.id, kind) for kind in mistakes])
    events = [Event(STEP_PASSED, message.id)]
    if all_right(state) and not state["completed"]:
        mark_completed(state)
        events.append(Event(COMPLETED, DONE))
    return Outcome(state, events)


def judgement_errors(message: Message, verdict: str, chosen: str) -> list[str]:
    """The error kinds of a judgement: the verdict, then the action; empty when right."""
    errors = []
    if verdict != (REAL if message.real else FAKE):
        errors.append(FAKE_CALLED_REAL if verdict == REAL else REAL_CALLED_FAKE)
    if chosen != message.right:
        if chosen == FORWARD:
            errors.append(REPORTED_REAL if message.real else ONLY_FORWARDED)
        else:
            errors.append(ACTION_ERRORS[chosen])
    return errors


def _to_inbox(state, data):
    go(state, INBOX)
    state.update(open="", draft={})
    return Outcome(state)


def _summary(state, data):
    if not state["completed"]:
        return Outcome(state, ignored=True)
    go(state, DONE)
    state.update(open="", draft={})
    return Outcome(state)


HANDLERS = {
    (INBOX, OPEN): _open,
    (INBOX, SUMMARY): _summary,
    (MESSAGE, JUDGE): _judge,
    (MESSAGE, TO_INBOX): _to_inbox,
    (FEEDBACK, TO_INBOX): _to_inbox,
    (FEEDBACK, SUMMARY): _summary,
    (DONE, TO_INBOX): _to_inbox,
}


def right_walk() -> list[tuple[str, dict]]:
    """The forms of a learner who judges every message right at the first try, from the
    inbox to the summary: (action, values), each sent with its screen's hidden fields."""
    walk = []
    for message in MESSAGE_LIST:
        walk += [
            (OPEN, {"bericht": message.id}),
            (
                JUDGE,
                {
                    "bericht": message.id,
                    "oordeel": REAL if message.real else FAKE,
                    "doe": message.right,
                },
            ),
        ]
        if message is not MESSAGE_LIST[-1]:
            walk.append((TO_INBOX, {}))
    walk.append((SUMMARY, {}))
    return walk


def message_for(kind: str) -> str:
    return str(MESSAGES.get(kind, ""))


def guide(state: dict) -> dict:
    """The hint of the current screen and what it points at, or empty when it is hidden.
    On a message it is the message's own hint; in the inbox it points at the first message
    still to judge, and at "Bekijk je resultaat" once all are right."""
    if not hint_shown(state):
        return {}
    screen, message = state["screen"], BY_ID.get(state.get("open", ""))
    if screen == MESSAGE and message is not None:
        return {"text": str(message.hint), "target": message.hint_target}
    if screen in (INBOX, FEEDBACK) and state["completed"]:
        return {"text": str(SUMMARY_HINT), "target": SUMMARY}
    if screen in HINTS:
        text, target = HINTS[screen]
        return {"text": str(text), "target": target}
    upcoming = next_to_judge(state)
    return {"text": str(INBOX_HINT), "target": f"bericht-{upcoming.id}" if upcoming else ""}


def _ltr(text):
    return codes_left_to_right(str(text), CODES)


def choice_label(message: Message, key: str):
    return FORWARD_LABELS[message.channel] if key == FORWARD else CHOICE_LABELS[key]


def screen_context(state: dict) -> dict:
    """What the Oefen-inbox's screens (``TEMPLATE``) show besides the common parts."""
    inbox = []
    for message in MESSAGE_LIST:
        judged = state["judged"].get(message.id)
        status = "todo" if judged is None else ("right" if judged["right"] else "retry")
        inbox.append({"message": message, "status": status, "target": f"bericht-{message.id}"})
    context = {
        "inbox": inbox,
        "to_judge": sum(1 for item in inbox if item["status"] != "right"),
        "total": len(MESSAGE_LIST),
        "recognised": sum(1 for message in MESSAGE_LIST if state["first"].get(message.id)),
        "cardstop": CARDSTOP,
        "safeonweb": SAFEONWEB,
        "message": None,
        "draft": state.get("draft", {}),
        "verdicts": VERDICTS,
    }
    message = BY_ID.get(state.get("open", ""))
    if message is not None:
        judged = state["judged"].get(message.id)
        context.update(
            message=message,
            choices=[(key, _ltr(choice_label(message, key))) for key in message.choices],
            signs=[_ltr(sign) for sign in message.signs],
            advice=_ltr(message.advice),
            judged=judged,
            mistakes=(
                [
                    _ltr(MESSAGES[kind])
                    for kind in judgement_errors(message, judged["oordeel"], judged["doe"])
                ]
                if judged
                else []
            ),
            chosen=_ltr(choice_label(message, judged["doe"])) if judged else "",
        )
    return context
