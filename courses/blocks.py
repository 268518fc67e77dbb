"""StreamField blocks a trainer uses to build a lesson, one idea per step.

Every block has a ``description`` and a ``preview_value`` for the block picker, and its
``clean()`` tells the author in plain words what to fix. Exercise blocks also know how to
read an answer from a form and how to grade it; ``learning`` records the result.

Every block in a step answers for itself what other code needs to know about it (see
``LessonBlock``), the way Wagtail's blocks answer ``get_searchable_content``: readability,
"Toon vertaling", the demo loader, the tests and the benchmark ask the block and never
switch on its type name, so a new block type is added in this file alone.
"""

import html
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from courses import sandboxes
from courses.sandboxes import common, oefenbank

# Rich text in a lesson: enough for emphasis, lists and a link, nothing that breaks the
# one-idea-per-screen rule (no headings, tables or embeds).
LESSON_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
MAX_OPTIONS = 6


def _struct_error(**errors):
    return StructBlockValidationError(
        block_errors={name: ErrorList([ValidationError(msg)]) for name, msg in errors.items()}
    )


def _extension(document) -> str:
    return document.file.name.rsplit(".", 1)[-1].lower() if document else ""


def _without_button_marks(texts) -> list[str]:
    """The texts that are not empty, with the [[button]] marks taken out."""
    return [text.replace("[[", "").replace("]]", "") for text in texts if text]


class SourceError(ValueError):
    """A block's plain description (a table in the demo's TOML files) lacks what it needs."""


@dataclass(frozen=True)
class SourceAssets:
    """Files a source names, stored by the loader before the lessons: the demo's H5P
    package and the screen pictures (``file`` → image id)."""

    h5p_package_id: int | None = None
    images: dict = field(default_factory=dict)


@dataclass
class TranslatedExercise:
    """An exercise as text only, shown under "Toon vertaling": the Dutch form stays the one
    that is answered."""

    question: str
    options: list[str] = field(default_factory=list)
    numbered: bool = False


class LessonBlock:
    """What every block in a lesson step answers for itself; the defaults fit a block that
    has nothing to say (media), so a content block overrides only what it has.

    Exercise blocks add ``parse_answer``, ``grade``, ``right_answer`` and ``wrong_answer``
    (``ExerciseBlock``).
    """

    is_exercise = False

    def learner_texts(self, value) -> list[str]:
        """The sentences a learner reads in this block, for the readability indicators.

        Media blocks give none: their words (alt text, captions, transcripts) were never
        part of the lesson's scores, and keeping them out keeps the scores comparable.
        """
        return []

    def translation_part(self, child, dutch):
        """What "Toon vertaling" shows for ``child`` (the translated block, bound), or None.

        ``dutch`` is the Dutch block with the same id, or None. A bound block is rendered
        with its own template; a ``TranslatedExercise`` as plain text. Media is not
        repeated: None.
        """
        return None

    def value_from_source(self, source: dict, *, assets=None):
        """The block's raw value from its plain description (the demo's TOML), or None when
        it cannot have one (media needs uploaded files).

        The default takes every field of a StructBlock by name; lists stay plain lists,
        the loader gives their items ids. ``assets`` (a ``SourceAssets``) holds the files
        the loader made before the lessons: the demo's H5P package, screen pictures.
        """
        fields = getattr(self, "child_blocks", None)
        if fields is None:
            return None
        missing = [name for name in fields if name not in source]
        if missing:
            raise SourceError(f"{self.name} mist {', '.join(missing)}")
        return {name: source[name] for name in fields}


class MediaBlock(LessonBlock):
    def value_from_source(self, source: dict, *, assets=None):
        return None  # an image, video or sound is an uploaded file, not text in a source


class RenderedInTranslation(LessonBlock):
    """A text block: "Toon vertaling" renders the translated block with its own template."""

    def translation_part(self, child, dutch):
        return child


# --- source text to rich text: the demo's TOML describes text blocks this way ----------------


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text, quote=False))


def text_to_html(text: str) -> str:
    """Paragraphs separated by blank lines; lines starting with "- " become a list."""
    parts = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        prose = [line for line in lines if not line.startswith("- ")]
        items = [line[2:] for line in lines if line.startswith("- ")]
        if prose:
            parts.append(f"<p>{_inline(' '.join(prose))}</p>")
        if items:
            parts.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
    return "".join(parts)


# --- content blocks ------------------------------------------------------------------------


TEXT_PREVIEW = (
    "<p>Je eID is je identiteitskaart met een chip.</p>"
    "<p>Met je eID kun je online bewijzen wie je bent.</p>"
)


class TextBlock(RenderedInTranslation, blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=LESSON_RICH_TEXT_FEATURES, **kwargs)

    def learner_texts(self, value) -> list[str]:
        # The HTML source: readability splits sentences at tags, so paragraphs and list
        # items stay apart.
        return [str(value.source if hasattr(value, "source") else value)]

    def value_from_source(self, source: dict, *, assets=None):
        if "text" not in source:
            raise SourceError(f"{self.name} mist text")
        return text_to_html(source["text"])

    class Meta:
        icon = "pilcrow"
        template = "blocks/text.html"
        label = _("Tekst")
        description = _("Korte tekst: één idee, zinnen van hoogstens 12 woorden, zeg 'je'.")
        preview_value = TEXT_PREVIEW


class CalloutBlock(RenderedInTranslation, blocks.StructBlock):
    text = blocks.TextBlock(
        label=_("Tekst"),
        max_length=300,
        help_text=_("Eén of twee korte zinnen. Zet een knop tussen [[ en ]]: [[Volgende]]."),
    )

    def learner_texts(self, value) -> list[str]:
        return [value["text"]]


class TipBlock(CalloutBlock):
    class Meta:
        label = _("Tip")
        icon = "help"
        template = "blocks/tip.html"
        description = _("Een handige tip die het makkelijker maakt.")
        preview_value = {"text": "Schrijf je pincode nooit op je kaart."}


class WarningBlock(CalloutBlock):
    class Meta:
        label = _("Let op")
        icon = "warning"
        template = "blocks/warning.html"
        description = _("Een waarschuwing: iets wat fout kan gaan of gevaarlijk is.")
        preview_value = {"text": "Je bank vraagt nooit je pincode via sms of e-mail."}


class ImageStructValue(blocks.StructValue):
    """Knows the accessible alt text, so templates cannot forget it."""

    @property
    def alt(self) -> str:
        return "" if self.get("decorative") else self.get("alt_text", "")


class ImageBlock(MediaBlock, blocks.StructBlock):
    image = ImageChooserBlock(label=_("Afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("Alternatieve tekst"),
        required=False,
        max_length=200,
        help_text=_(
            "Wat staat er op de afbeelding, voor wie ze niet ziet? Bv. 'Kaartlezer met eID'."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Alleen versiering"),
        required=False,
        help_text=_("Vink aan als de afbeelding niets toevoegt aan de tekst."),
    )
    caption = blocks.CharBlock(label=_("Onderschrift"), required=False, max_length=150)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not value.get("alt_text", "").strip():
            raise _struct_error(
                alt_text=_(
                    "Schrijf wat er op de afbeelding staat, of vink 'Alleen versiering' aan."
                )
            )
        return value

    def value_from_source(self, source: dict, *, assets=None):
        """A screen picture the demo draws itself: ``file`` (under the content folder),
        ``alt`` and an optional ``caption``. The loader stores the file as an image first;
        without it (``seed_demo --check``) the image is None."""
        for name in ("file", "alt"):
            if not str(source.get(name, "")).strip():
                raise SourceError(f"{self.name} mist {name}")
        images = assets.images if assets else {}
        return {
            "image": images.get(source["file"]),
            "alt_text": " ".join(source["alt"].split()),
            "decorative": False,
            "caption": source.get("caption", ""),
        }

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        value_class = ImageStructValue
        label = _("Afbeelding")
        description = _("Een foto of schermafbeelding met alternatieve tekst.")
        preview_value = {"alt_text": "Een kaartlezer met een eID erin", "decorative": False}


class InstructionStepBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        label=_("Wat doe je?"),
        max_length=160,
        help_text=_("Eén handeling. Zet de knop tussen [[ en ]]: Tik op [[Volgende]]."),
    )
    screenshot = ImageChooserBlock(label=_("Schermafbeelding"), required=False)
    screenshot_alt = blocks.CharBlock(
        label=_("Alternatieve tekst bij de schermafbeelding"), required=False, max_length=200
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("screenshot") and not value.get("screenshot_alt", "").strip():
            raise _struct_error(
                screenshot_alt=_("Schrijf wat er op de schermafbeelding te zien is.")
            )
        return value


class InstructionsBlock(RenderedInTranslation, blocks.StructBlock):
    intro = blocks.CharBlock(label=_("Inleiding"), required=False, max_length=160)
    # New lists start with as many empty items as they need (here and below): Wagtail's
    # editor shows "minimum number of items" as an error before the trainer typed anything.
    steps = blocks.ListBlock(
        InstructionStepBlock(),
        min_num=1,
        max_num=8,
        default=[{"text": "", "screenshot": None, "screenshot_alt": ""}],
        label=_("Stappen"),
    )

    def learner_texts(self, value) -> list[str]:
        return [value.get("intro", "")] + [item["text"] for item in value["steps"]]

    def value_from_source(self, source: dict, *, assets=None):
        """A source lists the steps as sentences; screenshots are uploaded files."""
        if "steps" not in source:
            raise SourceError(f"{self.name} mist steps")
        return {
            "intro": source.get("intro", ""),
            "steps": [
                {"text": t, "screenshot": None, "screenshot_alt": ""} for t in source["steps"]
            ],
        }

    class Meta:
        icon = "list-ol"
        template = "blocks/instructions.html"
        label = _("Genummerde stappen")
        description = _("Stappen om te volgen, elk met de exacte knop en een schermafbeelding.")
        preview_value = {
            "intro": "Zo start je de eID-software:",
            "steps": [
                {"text": "Steek je eID in de kaartlezer."},
                {"text": "Open het programma eID Viewer."},
                {"text": "Klik op [[Lezen]]."},
            ],
        }


class VideoBlock(MediaBlock, blocks.StructBlock):
    video = DocumentChooserBlock(label=_("Video (mp4 of webm)"))
    captions = DocumentChooserBlock(
        label=_("Ondertitels (vtt)"),
        help_text=_("Verplicht: wie niet hoort, leest mee."),
    )
    title = blocks.CharBlock(label=_("Waarover gaat de video?"), max_length=120)

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if _extension(value.get("video")) not in {"mp4", "webm"}:
            errors["video"] = _("Kies een video in mp4- of webm-formaat.")
        if _extension(value.get("captions")) != "vtt":
            errors["captions"] = _("Kies een ondertitelbestand in vtt-formaat.")
        if errors:
            raise _struct_error(**errors)
        return value

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")
        description = _("Een korte video met ondertitels.")
        preview_value = {"title": "Zo steek je je eID in de kaartlezer"}


class AudioBlock(MediaBlock, blocks.StructBlock):
    audio = DocumentChooserBlock(label=_("Geluid (mp3, ogg of m4a)"))
    title = blocks.CharBlock(label=_("Waarover gaat het?"), max_length=120)
    transcript = blocks.TextBlock(
        label=_("Uitgeschreven tekst"),
        help_text=_("Verplicht: schrijf uit wat je hoort, voor wie niet hoort."),
    )
    # The learner's "Lees voor" button plays this recording instead of the browser's
    # computer voice: a human voice is easier to follow. Off by default, so existing
    # audio blocks keep their meaning.
    read_aloud = blocks.BooleanBlock(
        label=_("Dit is de voorleesversie van deze stap"),
        required=False,
        default=False,
        help_text=_(
            "Vink aan als je in dit geluid de hele stap voorleest. "
            "De knop 'Lees voor' speelt dan dit geluid af."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        if _extension(value.get("audio")) not in {"mp3", "ogg", "m4a"}:
            raise _struct_error(audio=_("Kies een geluidsbestand in mp3, ogg of m4a."))
        return value

    class Meta:
        icon = "media"
        template = "blocks/audio.html"
        label = _("Geluid")
        description = _("Een geluidsfragment met de uitgeschreven tekst.")
        preview_value = {
            "title": "Uitleg over je pincode",
            "transcript": "Je pincode heeft vier cijfers. Hou hem geheim.",
        }


# --- exercises -----------------------------------------------------------------------------


class InvalidAnswer(Exception):
    """The form data could not come from our form: forged or broken. Nothing is recorded."""


class IncompleteAnswer(Exception):
    """The learner forgot to choose; the message says what to do. Nothing is recorded."""


@dataclass
class Grade:
    passed: bool
    score: float
    feedback: list[str] = field(default_factory=list)


def _indexes(data, count: int) -> list[int]:
    try:
        chosen = [int(raw) for raw in data.getlist("antwoord")]
    except (TypeError, ValueError) as error:
        raise InvalidAnswer from error
    if any(index < 0 or index >= count for index in chosen) or len(set(chosen)) != len(chosen):
        raise InvalidAnswer
    return chosen


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Antwoord"), max_length=160)
    correct = blocks.BooleanBlock(label=_("Dit antwoord is juist"), required=False)
    feedback = blocks.CharBlock(
        label=_("Uitleg bij dit antwoord"),
        max_length=300,
        help_text=_("Vriendelijk en kort: waarom is dit juist of niet juist?"),
    )


class ExerciseBlock(LessonBlock, blocks.StructBlock):
    """Shared behaviour: every exercise has a question, unlimited tries and no time limit.

    Answers travel as the form's ``antwoord`` values (a list of strings): ``parse_answer``
    reads them into the answer ``grade`` takes. ``right_answer`` and ``wrong_answer`` give
    such form values, for the tests and the benchmark, which answer like a learner.
    """

    question = blocks.CharBlock(label=_("Vraag"), max_length=200)

    is_exercise = True

    def counts_for_lesson(self, value) -> bool:
        """Every native exercise counts for completing the lesson (``required_exercises``)."""
        return True

    def parse_answer(self, value, data):
        raise NotImplementedError

    def grade(self, value, answer) -> Grade:
        raise NotImplementedError

    def right_answer(self, value) -> list[str]:
        """The form values of an answer that passes."""
        raise NotImplementedError

    def wrong_answer(self, value) -> list[str] | None:
        """The form values of a plausible mistake that does not pass; None if there is none."""
        raise NotImplementedError

    def translation_part(self, child, dutch):
        return TranslatedExercise(child.value["question"])

    def partial_answer(self, value, data) -> list:
        """What an incomplete form already chose, to show it again with the message."""
        return []


class ChoiceExerciseBlock(ExerciseBlock):
    """A question with answer options, each with its own feedback."""

    options = blocks.ListBlock(
        AnswerOptionBlock(),
        min_num=2,
        max_num=MAX_OPTIONS,
        default=[{"text": "", "correct": False, "feedback": ""}] * 2,
        label=_("Antwoorden"),
    )

    def learner_texts(self, value) -> list[str]:
        texts = [value["question"]]
        for option in value["options"]:
            texts += [option["text"], option["feedback"]]
        return _without_button_marks(texts)

    def translation_part(self, child, dutch):
        value = child.value
        return TranslatedExercise(value["question"], [o["text"] for o in value["options"]])

    def right_answer(self, value) -> list[str]:
        return [str(i) for i, option in enumerate(value["options"]) if option["correct"]]

    def wrong_answer(self, value) -> list[str] | None:
        wrong = next(
            (i for i, option in enumerate(value["options"]) if not option["correct"]), None
        )
        return None if wrong is None else [str(wrong)]


class SingleChoiceBlock(ChoiceExerciseBlock):
    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise _struct_error(options=_("Duid precies één juist antwoord aan."))
        return value

    def parse_answer(self, value, data):
        chosen = _indexes(data, len(value["options"]))
        if not chosen:
            raise IncompleteAnswer(_("Kies een antwoord."))
        if len(chosen) > 1:
            raise InvalidAnswer
        return chosen

    def grade(self, value, answer) -> Grade:
        option = value["options"][answer[0]]
        passed = bool(option["correct"])
        return Grade(passed, 1.0 if passed else 0.0, [option["feedback"]])

    class Meta:
        icon = "radio-full"
        template = "blocks/exercise_single.html"
        label = _("Oefening: één juist antwoord")
        group = _("Oefeningen")
        description = _("Een vraag met één juist antwoord. Elk antwoord krijgt uitleg.")
        preview_value = {
            "question": "Hoeveel cijfers heeft de pincode van je eID?",
            "options": [
                {"text": "4 cijfers", "correct": True, "feedback": "Juist: 4 cijfers."},
                {"text": "6 cijfers", "correct": False, "feedback": "Nee, het zijn er 4."},
            ],
        }


class MultipleChoiceBlock(ChoiceExerciseBlock):
    PASS_ALL = "all"  # noqa: S105 - a pass rule, not a password
    PASS_ONE = "one"  # noqa: S105

    pass_rule = blocks.ChoiceBlock(
        label=_("Wanneer is het goed?"),
        choices=[
            (PASS_ALL, _("Alle juiste antwoorden gekozen, geen foute")),
            (PASS_ONE, _("Minstens één juist antwoord gekozen, geen foute")),
        ],
        default=PASS_ALL,
    )

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise _struct_error(options=_("Duid minstens één juist antwoord aan."))
        return value

    def parse_answer(self, value, data):
        chosen = _indexes(data, len(value["options"]))
        if not chosen:
            raise IncompleteAnswer(_("Kies minstens één antwoord."))
        return sorted(chosen)

    def grade(self, value, answer) -> Grade:
        options = value["options"]
        correct = {index for index, option in enumerate(options) if option["correct"]}
        chosen = set(answer)
        wrong = chosen - correct
        if value["pass_rule"] == self.PASS_ONE:
            passed = bool(chosen & correct) and not wrong
        else:
            passed = chosen == correct
        feedback = [options[index]["feedback"] for index in sorted(chosen)]
        if not passed and not wrong:
            feedback.append(str(_("Er is nog een juist antwoord. Welk antwoord ben je vergeten?")))
        score = len(chosen & correct) / len(correct) if not wrong else 0.0
        return Grade(passed, 1.0 if passed else score, feedback)

    class Meta:
        icon = "tasks"
        template = "blocks/exercise_multiple.html"
        label = _("Oefening: meerdere juiste antwoorden")
        group = _("Oefeningen")
        description = _("Een vraag met meer dan één juist antwoord. De leerder vinkt aan.")
        preview_value = {
            "question": "Wat heb je nodig om in te loggen met je eID?",
            "pass_rule": "all",
            "options": [
                {"text": "Je eID", "correct": True, "feedback": "Ja, je eID."},
                {"text": "Een kaartlezer", "correct": True, "feedback": "Ja, een kaartlezer."},
                {"text": "Je rijbewijs", "correct": False, "feedback": "Nee, dat hoeft niet."},
            ],
        }


class TrueFalseBlock(ExerciseBlock):
    TRUE = "waar"
    FALSE = "niet-waar"

    question = blocks.CharBlock(label=_("Stelling"), max_length=200)
    is_true = blocks.BooleanBlock(label=_("Deze stelling is waar"), required=False)
    feedback_correct = blocks.CharBlock(label=_("Uitleg bij een juist antwoord"), max_length=300)
    feedback_wrong = blocks.CharBlock(label=_("Uitleg bij een fout antwoord"), max_length=300)

    def parse_answer(self, value, data):
        chosen = data.getlist("antwoord")
        if not chosen:
            raise IncompleteAnswer(_("Kies 'Waar' of 'Niet waar'."))
        if len(chosen) != 1 or chosen[0] not in (self.TRUE, self.FALSE):
            raise InvalidAnswer
        return chosen

    def grade(self, value, answer) -> Grade:
        passed = (answer[0] == self.TRUE) == bool(value["is_true"])
        feedback = value["feedback_correct"] if passed else value["feedback_wrong"]
        return Grade(passed, 1.0 if passed else 0.0, [feedback])

    def right_answer(self, value) -> list[str]:
        return [self.TRUE if value["is_true"] else self.FALSE]

    def wrong_answer(self, value) -> list[str] | None:
        return [self.FALSE if value["is_true"] else self.TRUE]

    def learner_texts(self, value) -> list[str]:
        return _without_button_marks(
            [value["question"], value["feedback_correct"], value["feedback_wrong"]]
        )

    class Meta:
        icon = "success"
        template = "blocks/exercise_true_false.html"
        label = _("Oefening: waar of niet waar")
        group = _("Oefeningen")
        description = _("Een stelling: de leerder kiest 'Waar' of 'Niet waar'.")
        preview_value = {
            "question": "Je mag je pincode aan een medewerker van de bank geven.",
            "is_true": False,
            "feedback_correct": "Juist. Je pincode is geheim, ook voor de bank.",
            "feedback_wrong": "Niet juist. Geef je pincode aan niemand, ook niet aan de bank.",
        }


ORDER_LETTERS = "ABCDEFG"  # one per item: OrderingBlock has at most 7


class OrderingValue(blocks.StructValue):
    @property
    def positions(self) -> range:
        return range(1, len(self["items"]) + 1)

    @property
    def shuffled(self) -> list[tuple[int, str]]:
        """The items mixed up, the same way on every visit (seeded by their text)."""
        numbered = list(enumerate(self["items"]))
        generator = random.Random("|".join(self["items"]))  # noqa: S311 - a stable shuffle
        for _attempt in range(10):
            generator.shuffle(numbered)
            if [index for index, _text in numbered] != list(range(len(numbered))):
                break
        return numbered

    @property
    def lettered(self) -> list[tuple[int, str, str]]:
        """The mixed-up items with a letter each: (item number, letter, text). The form lists
        the full sentences with their letter; each place's drop-down shows "A: …", so a
        drop-down cut short on a small screen still shows which item it holds."""
        return [
            (index, ORDER_LETTERS[position], text)
            for position, (index, text) in enumerate(self.shuffled)
        ]


class OrderingBlock(ExerciseBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("Stap"), max_length=120),
        min_num=3,
        max_num=7,
        default=["", "", ""],
        label=_("Stappen in de juiste volgorde"),
        help_text=_("Zet ze hier in de juiste volgorde. De leerder ziet ze door elkaar."),
    )
    feedback_correct = blocks.CharBlock(label=_("Uitleg bij een juist antwoord"), max_length=300)
    feedback_wrong = blocks.CharBlock(label=_("Uitleg bij een fout antwoord"), max_length=300)

    def parse_answer(self, value, data):
        count = len(value["items"])
        raw = data.getlist("antwoord")
        if len(raw) != count:
            raise InvalidAnswer
        if any(item == "" for item in raw):
            raise IncompleteAnswer(_("Kies voor elke plaats een stap."))
        chosen = _indexes_allow_repeats(raw, count)
        if len(set(chosen)) != count:
            raise IncompleteAnswer(_("Je koos een stap twee keer. Kies elke stap één keer."))
        return chosen

    def partial_answer(self, value, data) -> list:
        """Place by place the chosen item, or None; anything that is no item becomes None."""
        count = len(value["items"])
        chosen = []
        for raw in data.getlist("antwoord")[:count]:
            try:
                index = int(raw)
            except ValueError:
                index = None
            chosen.append(index if index is not None and 0 <= index < count else None)
        return chosen

    def grade(self, value, answer) -> Grade:
        if len(answer) != len(value["items"]):
            raise ValueError("the exercise changed since this answer")
        wrong = [place for place, index in enumerate(answer, start=1) if place - 1 != index]
        passed = not wrong
        feedback = [value["feedback_correct"] if passed else value["feedback_wrong"]]
        if wrong:
            feedback.append(_wrong_places(wrong))
        return Grade(passed, (len(answer) - len(wrong)) / len(answer), feedback)

    def right_answer(self, value) -> list[str]:
        return [str(i) for i in range(len(value["items"]))]  # the items as stored

    def wrong_answer(self, value) -> list[str] | None:
        return [str(i) for i in reversed(range(len(value["items"])))]

    def learner_texts(self, value) -> list[str]:
        return _without_button_marks(
            [
                value["question"],
                *value["items"],
                value["feedback_correct"],
                value["feedback_wrong"],
            ]
        )

    def translation_part(self, child, dutch):
        if dutch is None:
            return super().translation_part(child, dutch)
        items = list(child.value["items"])
        # The Dutch mix, with the same letters as the Dutch list ("A: …"), so the help text
        # points at the same drop-down choices and never gives the order away.
        shown = [
            f"{letter}: {items[index]}"
            for index, letter, _text in dutch.value.lettered
            if index < len(items)
        ]
        return TranslatedExercise(child.value["question"], shown, numbered=False)

    class Meta:
        icon = "order"
        template = "blocks/exercise_order.html"
        value_class = OrderingValue
        label = _("Oefening: zet in de juiste volgorde")
        group = _("Oefeningen")
        description = _("Stappen die de leerder in de juiste volgorde zet.")
        preview_value = {
            "question": "In welke volgorde doe je dit?",
            "items": ["Steek je eID in de kaartlezer", "Kies 'Aanmelden'", "Typ je pincode"],
            "feedback_correct": "Goed zo! Zo meld je je aan.",
            "feedback_wrong": "Nog niet. Eerst de kaart, dan aanmelden, dan je pincode.",
        }


def _wrong_places(places: list[int]) -> str:
    """ "Plaats 2 klopt nog niet." or "Plaats 1, 3 en 4 kloppen nog niet." """
    if len(places) == 1:
        return str(_("Plaats %(place)s klopt nog niet.") % {"place": places[0]})
    listed = str(_("%(first)s en %(last)s")) % {
        "first": ", ".join(str(place) for place in places[:-1]),
        "last": places[-1],
    }
    return str(_("Plaats %(places)s kloppen nog niet.") % {"places": listed})


def _indexes_allow_repeats(raw, count: int) -> list[int]:
    try:
        chosen = [int(item) for item in raw]
    except ValueError as error:
        raise InvalidAnswer from error
    if any(index < 0 or index >= count for index in chosen):
        raise InvalidAnswer
    return chosen


# --- tap the right spot on a screen picture -------------------------------------------------


class TapAreaBlock(blocks.StructBlock):
    """One spot on the picture, in percent of its width and height from the top-left corner.

    Whole percents: the template places each area with a ready-made class per percent
    (static/css/tap-spot.css), because the site's CSP allows no inline style.
    """

    label = blocks.CharBlock(
        label=_("Naam van de plek"),
        max_length=80,
        help_text=_(
            "Wat staat er op die plek? Bv. 'Aanmelden'. Ook wie de afbeelding niet ziet, "
            "kiest met deze naam."
        ),
    )
    x = blocks.IntegerBlock(
        label=_("Van links (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Hoe ver de linkerkant van de plek van de linkerrand is, in procent."),
    )
    y = blocks.IntegerBlock(
        label=_("Van boven (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Hoe ver de bovenkant van de plek van de bovenrand is, in procent."),
    )
    width = blocks.IntegerBlock(label=_("Breedte (%)"), min_value=0, max_value=100)
    height = blocks.IntegerBlock(label=_("Hoogte (%)"), min_value=0, max_value=100)
    correct = blocks.BooleanBlock(label=_("Dit is de juiste plek"), required=False)
    feedback = blocks.CharBlock(
        label=_("Uitleg bij deze plek"),
        max_length=300,
        help_text=_("Vriendelijk en kort: waarom is dit juist of niet juist?"),
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["width"] == 0:
            errors["width"] = _("Een plek is minstens 1 procent breed.")
        elif value["x"] + value["width"] > 100:
            errors["width"] = _(
                "Deze plek valt rechts buiten de afbeelding: van links plus breedte is meer "
                "dan 100."
            )
        if value["height"] == 0:
            errors["height"] = _("Een plek is minstens 1 procent hoog.")
        elif value["y"] + value["height"] > 100:
            errors["height"] = _(
                "Deze plek valt onder de afbeelding: van boven plus hoogte is meer dan 100."
            )
        if errors:
            raise _struct_error(**errors)
        return value


def _overlap(one, other) -> bool:
    """Whether two areas share more than an edge."""
    return (
        one["x"] < other["x"] + other["width"]
        and other["x"] < one["x"] + one["width"]
        and one["y"] < other["y"] + other["height"]
        and other["y"] < one["y"] + one["height"]
    )


class TapSpotBlock(ExerciseBlock):
    """Tik op de juiste plek: the learner taps a spot on a screen picture.

    Every area is a submit button over the picture (``antwoord`` = its number); below the
    picture the same areas are a plain list of options, for who cannot see or hit the
    picture. Both send the same value, so grading does not know which way was used.
    """

    AREA_DEFAULT = {
        "label": "",
        "x": None,
        "y": None,
        "width": None,
        "height": None,
        "correct": False,
        "feedback": "",
    }

    image = ImageChooserBlock(
        label=_("Afbeelding van het scherm"),
        help_text=_("Liefst een eenvoudige tekening (SVG) van het scherm."),
    )
    alt_text = blocks.CharBlock(
        label=_("Alternatieve tekst"),
        max_length=300,
        help_text=_(
            "Wat staat er op het scherm, voor wie het niet ziet? Noem de knoppen, van boven "
            "naar onder. Verklap niet welke juist is."
        ),
    )
    areas = blocks.ListBlock(
        TapAreaBlock(),
        min_num=2,
        max_num=MAX_OPTIONS,
        default=[AREA_DEFAULT] * 2,
        label=_("Plekken op de afbeelding"),
        help_text=_("Duid precies één juiste plek aan. Meet in procent vanaf linksboven."),
    )

    def clean(self, value):
        value = super().clean(value)
        self._check_areas(value["areas"])
        return value

    @staticmethod
    def _check_areas(areas):
        if sum(1 for area in areas if area["correct"]) != 1:
            raise _struct_error(areas=_("Duid precies één juiste plek aan."))
        for number, area in enumerate(areas):
            for other in list(areas)[number + 1 :]:
                if _overlap(area, other):
                    raise _struct_error(
                        areas=_("De plekken %(first)s en %(second)s liggen over elkaar.")
                        % {"first": area["label"], "second": other["label"]}
                    )

    def clean_without_image(self, raw_value):
        """Every rule but the stored picture: for ``seed_demo --check``, where the demo's
        pictures are not stored yet."""
        value = self.to_python(raw_value)
        errors = {}
        for name, child in self.child_blocks.items():
            if name == "image":
                continue
            try:
                child.clean(value[name])
            except ValidationError as error:
                errors[name] = ErrorList([error])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        self._check_areas(value["areas"])
        return value

    def parse_answer(self, value, data):
        """One area's number. The picture's buttons come before the list in the form, and
        a browser sends the pressed button in its place: when a tap and an option checked
        in the list arrive together, the tap comes first and counts."""
        raw = data.getlist("antwoord")
        if not raw:
            raise IncompleteAnswer(
                _("Tik op een plek op de afbeelding, of kies een antwoord in de lijst.")
            )
        if len(raw) > 2:
            raise InvalidAnswer
        return _indexes_allow_repeats(raw, len(value["areas"]))[:1]

    def grade(self, value, answer) -> Grade:
        area = value["areas"][answer[0]]
        passed = bool(area["correct"])
        return Grade(passed, 1.0 if passed else 0.0, [area["feedback"]])

    def right_answer(self, value) -> list[str]:
        return [str(i) for i, area in enumerate(value["areas"]) if area["correct"]]

    def wrong_answer(self, value) -> list[str] | None:
        wrong = next((i for i, area in enumerate(value["areas"]) if not area["correct"]), None)
        return None if wrong is None else [str(wrong)]

    def learner_texts(self, value) -> list[str]:
        texts = [value["question"], value["alt_text"]]
        for area in value["areas"]:
            texts += [area["label"], area["feedback"]]
        return _without_button_marks(texts)

    def translation_part(self, child, dutch):
        value = child.value
        return TranslatedExercise(value["question"], [area["label"] for area in value["areas"]])

    def value_from_source(self, source: dict, *, assets=None):
        """``file``, ``alt``, ``question`` and ``areas`` (a list of tables with label, x, y,
        width, height, feedback and ``correct = true`` on one). The loader stores the file
        as an image first; without it (``seed_demo --check``) the image is None."""
        for name in ("file", "alt", "question", "areas"):
            if not source.get(name):
                raise SourceError(f"{self.name} mist {name}")
        areas = []
        for number, area in enumerate(source["areas"], start=1):
            missing = [
                name
                for name in ("label", "x", "y", "width", "height", "feedback")
                if name not in area
            ]
            if missing:
                raise SourceError(f"{self.name} plek {number} mist {', '.join(missing)}")
            areas.append(
                {
                    **{name: area[name] for name in ("label", "x", "y", "width", "height")},
                    "correct": bool(area.get("correct", False)),
                    "feedback": area["feedback"],
                }
            )
        images = assets.images if assets else {}
        return {
            "question": source["question"],
            "image": images.get(source["file"]),
            "alt_text": " ".join(source["alt"].split()),
            "areas": areas,
        }

    class Meta:
        icon = "crosshairs"
        template = "blocks/exercise_tap_spot.html"
        label = _("Oefening: tik op de juiste plek")
        group = _("Oefeningen")
        description = _(
            "Een afbeelding van een scherm: de leerder tikt op de juiste plek, of kiest ze in "
            "een lijst eronder."
        )
        preview_value = {
            "question": "Tik op de knop om in te loggen.",
            "alt_text": "Een scherm met twee knoppen: bovenaan Aanmelden, onderaan Hulp.",
            "areas": [
                {
                    "label": "Aanmelden",
                    "x": 10,
                    "y": 20,
                    "width": 80,
                    "height": 10,
                    "correct": True,
                    "feedback": "Juist. Met Aanmelden log je in.",
                },
                {
                    "label": "Hulp",
                    "x": 10,
                    "y": 70,
                    "width": 80,
                    "height": 10,
                    "correct": False,
                    "feedback": "Nee. Bij Hulp lees je uitleg. Je logt er niet in.",
                },
            ],
        }


class H5PBlock(LessonBlock, blocks.StructBlock):
    """An H5P activity, played in a sandboxed frame.

    Answers do not come from a form: the player sends xAPI statements, which
    ``learning.services.h5p.xapi_statement_record`` maps onto the lesson's progress. A
    question type (``H5PPackage.is_question``) counts for the lesson like a native exercise;
    other types are extra. Because it needs JavaScript and a player that runs on the
    learner's device, the learner may skip it (``learning.services.exercise_skip``).
    """

    package = SnippetChooserBlock("courses.H5PPackage", label=_("H5P-pakket"))
    intro = blocks.CharBlock(
        label=_("Uitleg voor de leerder"),
        required=False,
        max_length=200,
        help_text=_("Eén zin: wat moet de leerder doen? Bv. 'Kies het juiste antwoord.'"),
    )

    is_exercise = True
    is_h5p = True
    skippable = True

    def is_available(self, value) -> bool:
        return value.get("package") is not None

    def counts_for_lesson(self, value) -> bool:
        package = value.get("package")
        return package is not None and package.is_question

    def parse_answer(self, value, data):
        raise InvalidAnswer  # never a form post: see the class docstring

    def grade(self, value, answer) -> Grade:
        return Grade(False, 0.0, [])

    def right_answer(self, value) -> None:
        """None: no form answer passes an H5P activity (see the class docstring)."""
        return None

    def wrong_answer(self, value) -> None:
        return None

    def learner_texts(self, value) -> list[str]:
        # The activity's own text is inside the package; only the instruction is ours.
        return [value.get("intro", "")] if value.get("intro") else []

    def translation_part(self, child, dutch):
        # The H5P activity has its own language; only the trainer's intro is translated.
        return TranslatedExercise(child.value["intro"]) if child.value.get("intro") else None

    def value_from_source(self, source: dict, *, assets=None):
        # A source cannot upload a package: it names the demo package, made when loading.
        if source.get("package") != "demo":
            raise SourceError('een H5P-oefening gebruikt package = "demo"')
        package = assets.h5p_package_id if assets else None
        return {"package": package, "intro": source.get("intro", "")}

    class Meta:
        icon = "code"
        template = "blocks/h5p.html"
        label = _("H5P-oefening")
        group = _("Oefeningen")
        description = _(
            "Een interactieve oefening uit een H5P-pakket (uit Lumi, Moodle of h5p.org). "
            "Laad het pakket eerst op bij 'H5P-pakketten'."
        )
        preview_value = {"intro": "Kies het juiste antwoord."}


class SandboxBlock(LessonBlock, blocks.StructBlock):
    """Oefenen in een nagemaakte app: a practice sandbox (courses/sandboxes/).

    Like H5P, answers do not come from the answer form: the learner works through the
    sandbox's own screens (``learning.views.sandboxes``), each a plain HTML form, and
    ``learning.services.sandboxes`` records the step events on the one write path of
    exercise results. It passes when completed without the guide, or with the guide when
    ``guided_counts`` allows it. It needs no JavaScript, so it cannot be skipped.
    """

    scenario = blocks.ChoiceBlock(
        label=_("Welke oefenapp?"),
        choices=sandboxes.CHOICES,
        default=oefenbank.SCENARIO,
    )
    intro = blocks.CharBlock(
        label=_("Uitleg voor de leerder"),
        required=False,
        max_length=200,
        help_text=_("Eén of twee zinnen: wat gaat de leerder oefenen?"),
    )
    default_mode = blocks.ChoiceBlock(
        label=_("Zo begint de leerder"),
        choices=common.MODES,
        default=common.GUIDED,
        help_text=_(
            "Met hulp: bij elke stap een tip, en de knop of het vak om te gebruiken valt op. "
            "De leerder kan altijd wisselen."
        ),
    )
    guided_counts = blocks.BooleanBlock(
        label=_("Oefenen met hulp telt ook als geslaagd"),
        required=False,
        default=True,
        help_text=_(
            "Vink uit als de leerder de oefening één keer zonder hulp moet afwerken om "
            "de stap te halen."
        ),
    )
    start_balance = blocks.DecimalBlock(
        label=_("Geld op de oefenrekening (euro)"),
        min_value=Decimal("1"),
        max_value=Decimal("10000"),
        decimal_places=2,
        default=Decimal("250.00"),
        help_text=_("Alleen voor de Oefenbank: een bedrag dat past bij de oefening, bv. 250."),
    )

    is_exercise = True
    is_sandbox = True

    def counts_for_lesson(self, value) -> bool:
        return True

    def scenario_module(self, value):
        return sandboxes.scenario(value["scenario"])

    def balance_cents(self, value) -> int:
        return int(Decimal(value["start_balance"]) * 100)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["label"] = self.scenario_module(value).LABEL
        return context

    def start_options(self, value) -> dict:
        """What the scenario's ``start`` may use of the author's settings."""
        return {"balance_cents": self.balance_cents(value)}

    def passes(self, value, state: dict) -> bool:
        return self.scenario_module(value).passes(state, guided_counts=value["guided_counts"])

    def parse_answer(self, value, data):
        raise InvalidAnswer  # never the answer form: see the class docstring

    def grade(self, value, answer) -> Grade:
        return Grade(False, 0.0, [])

    def right_answer(self, value) -> None:
        """None: a sandbox is passed on its own screens, not with a form answer
        (``right_walk`` gives those forms)."""
        return None

    def right_walk(self, value) -> list[tuple[str, dict]]:
        """The forms that take a learner through the sandbox without a mistake."""
        return self.scenario_module(value).right_walk()

    def wrong_answer(self, value) -> None:
        return None

    def learner_texts(self, value) -> list[str]:
        return [value["intro"]] if value.get("intro") else []

    def translation_part(self, child, dutch):
        return TranslatedExercise(child.value["intro"]) if child.value.get("intro") else None

    def value_from_source(self, source: dict, *, assets=None):
        """``scenario``, optional ``intro``, ``default_mode`` (guided or free),
        ``guided_counts`` and ``start_balance`` (euros, as text: "250.00")."""
        if source.get("scenario") not in sandboxes.SCENARIOS:
            raise SourceError(f"{self.name}: onbekend scenario {source.get('scenario')!r}")
        mode = source.get("default_mode", common.GUIDED)
        if mode not in (common.GUIDED, common.FREE):
            raise SourceError(f"{self.name}: default_mode is guided of free")
        return {
            "scenario": source["scenario"],
            "intro": source.get("intro", ""),
            "default_mode": mode,
            "guided_counts": bool(source.get("guided_counts", True)),
            "start_balance": str(Decimal(str(source.get("start_balance", "250.00")))),
        }

    class Meta:
        icon = "mobile-alt"
        template = "blocks/sandbox.html"
        label = _("Oefenapp")
        group = _("Oefeningen")
        description = _(
            "Een veilige nagemaakte app om te oefenen: de Oefenbank (een overschrijving maken "
            "en bevestigen met oefen-itsme), Mijn Oefenprofiel (aanmelden met oefen-itsme en "
            "een attest downloaden) of de Oefen-inbox (echte en valse berichten herkennen). "
            "Werkt zonder JavaScript."
        )
        preview_value = {
            "scenario": oefenbank.SCENARIO,
            "intro": "Maak zelf een overschrijving in de Oefenbank. Het is geen echt geld.",
            "default_mode": common.GUIDED,
            "guided_counts": True,
            "start_balance": "250.00",
        }


class StepContentBlock(blocks.StreamBlock):
    text = TextBlock()
    instructions = InstructionsBlock()
    tip = TipBlock()
    warning = WarningBlock()
    image = ImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    ordering = OrderingBlock()
    tap_spot = TapSpotBlock()
    h5p = H5PBlock()
    sandbox = SandboxBlock()

    def clean(self, value):
        value = super().clean(value)
        exercises = [child for child in value if getattr(child.block, "is_exercise", False)]
        if len(exercises) > 1:
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList(
                    [ValidationError(_("Eén oefening per stap. Zet de tweede in een nieuwe stap."))]
                )
            )
        recordings = [
            child
            for child in value
            if child.block_type == "audio" and child.value.get("read_aloud")
        ]
        if len(recordings) > 1:
            # "Lees voor" plays one recording; with two it could not know which one.
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList(
                    [ValidationError(_("Duid maar één geluid per stap aan als voorleesversie."))]
                )
            )
        return value

    class Meta:
        min_num = 1
        # A new step opens with an empty paragraph to type in (see InstructionsBlock.steps).
        default = [{"type": "text", "value": ""}]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Titel van de stap"),
        max_length=80,
        help_text=_("Kort en concreet, bv. 'Steek je eID in de kaartlezer'."),
    )
    body = StepContentBlock(label=_("Inhoud"))

    class Meta:
        icon = "doc-full"
        label = _("Stap")
        description = _("Eén scherm met één idee: uitleg, stappen of een oefening.")
        preview_value = {
            "title": "Wat is een eID?",
            "body": [("text", TEXT_PREVIEW)],
        }
