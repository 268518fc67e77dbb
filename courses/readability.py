"""Readability indicators for easy Dutch: indicators for the author, never goals.

- Flesch-Douma = 206.835 − 0.93 × (words per sentence) − 77 × (syllables per word)
- Leesindex Brouwer = 195 − 2 × (words per sentence) − 0.67 × (syllables per 100 words)
- average sentence length (aim: at most 12 words), the longest sentences, long words.
- words not in the project's basic word lists (``courses/wordlist.py``).

Syllables are counted as groups of vowels (``ij`` counts as a vowel; a vowel with a
diaeresis, as in ``geïnstalleerd``, starts a new group). Dutch hyphenation dictionaries
avoid one-letter syllables and so undercount words like ``o-ver`` or ``i-den-ti-teit``.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from courses.wordlist import basic_words, normalise

VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"
DIAERESIS = "äëïöü"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
TAG = re.compile(r"<[^>]+>")
LONG_WORD_SYLLABLES = 5  # "words longer than 4 syllables"
LONG_SENTENCE_WORDS = 12
# Web and mail addresses are not words to explain: "itsme.be", "www.mijnburgerprofiel.be".
ADDRESS = re.compile(r"\S+@\S+|https?://\S+|(?:[^\W_][\w-]*\.)+(?:be|com|eu|nl|org|net)\b\S*")


def syllables(word: str) -> int:
    word = word.lower().replace("ij", "y")
    count, previous_vowel = 0, False
    for char in word:
        vowel = char in VOWELS
        if vowel and (not previous_vowel or char in DIAERESIS):
            count += 1
        previous_vowel = vowel
    return max(count, 1)


def sentences(text: str) -> list[str]:
    plain = unescape(TAG.sub("\n", text))
    return [part.strip() for part in SENTENCE_END.split(plain) if WORD.search(part)]


@dataclass
class Readability:
    sentence_count: int = 0
    word_count: int = 0
    syllable_count: int = 0
    long_sentences: list[tuple[int, str]] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)

    @property
    def words_per_sentence(self) -> float:
        return self.word_count / self.sentence_count if self.sentence_count else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllable_count / self.word_count if self.word_count else 0.0

    @property
    def flesch_douma(self) -> float:
        return 206.835 - 0.93 * self.words_per_sentence - 77 * self.syllables_per_word

    @property
    def brouwer(self) -> float:
        return 195 - 2 * self.words_per_sentence - 0.67 * 100 * self.syllables_per_word


def _is_known(word: str, known: frozenset[str]) -> bool:
    word = normalise(word)
    if word in known or word in basic_words():
        return True
    if word.endswith("'s") and _is_known(word[:-2], known):  # foto's, app's
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(_is_known(part, known) for part in parts if part)


def unknown_words(text: str, known: frozenset[str] = frozenset()) -> list[str]:
    """The distinct words of ``text`` in neither word list nor ``known``, in text order.

    ``known`` holds extra lower-case words, in practice the glossary's terms and variants.
    Ignored: numbers, one-letter words, web addresses, names (a capital letter that does
    not start the sentence: "Tax-on-web", "Belfius"; a word that starts a sentence counts
    as a name when it also appears with a capital in the middle of a sentence) and
    abbreviations or brands with a capital inside the word ("KBC", "eID", "WhatsApp").
    """
    parsed = [WORD.findall(ADDRESS.sub(" ", sentence)) for sentence in sentences(text)]
    names = {word for words in parsed for word in words[1:] if word[0].isupper()}
    result, seen = [], set()
    for words in parsed:
        for position, word in enumerate(words):
            key = normalise(word)
            if key in seen or len(word) < 2 or any(char.isupper() for char in word[1:]):
                continue
            if word[0].isupper() and (position > 0 or word in names):
                continue
            seen.add(key)
            if not _is_known(word, known):
                result.append(key)
    return result


def analyse(text: str, *, longest: int = 3, known: frozenset[str] = frozenset()) -> Readability:
    result = Readability()
    lengths = []
    long_words = set()
    for sentence in sentences(text):
        words = WORD.findall(sentence)
        result.sentence_count += 1
        result.word_count += len(words)
        for word in words:
            count = syllables(word)
            result.syllable_count += count
            if count >= LONG_WORD_SYLLABLES:
                long_words.add(word.lower())
        lengths.append((len(words), sentence))
    result.long_sentences = sorted(
        (item for item in lengths if item[0] > LONG_SENTENCE_WORDS), key=lambda item: -item[0]
    )[:longest]
    result.long_words = sorted(long_words)
    result.unknown_words = unknown_words(text, known)
    return result


def lesson_text(lesson) -> str:
    """Everything a learner reads in a lesson, one sentence-ish piece per line."""
    pieces = [lesson.title, lesson.intro]
    for step in lesson.steps:
        pieces.append(step.value["title"])
        for child in step.value["body"]:
            pieces.extend(child.block.learner_texts(child.value))
    return "\n".join(piece for piece in pieces if piece)


# --- the editor's check: per step, the worst sentence first ---------------------------------

# Docs/authoring.md asks trainers to say "je": the formal forms, as whole words. "u-bocht"
# is one word to ``WORD`` (hyphens stay inside), so it is never mistaken for "u".
FORMAL_WORDS = frozenset({"u", "uw"})
# The lesson's own title and intro come before step 1; the check shows them as part 0.
INTRO_PART = 0
# The check names this many words of a step not in the basic word list, then "en nog N".
UNKNOWN_SHOWN = 15


@dataclass(frozen=True)
class Sentence:
    """One sentence as the learner reads it, and where it stands in the lesson."""

    text: str
    words: int
    syllables: int
    step: int  # INTRO_PART for the lesson's title and intro, else the step number
    step_title: str = ""
    formal: tuple[str, ...] = ()  # the "u"/"uw" words it uses, as written

    @property
    def difficulty(self) -> tuple[int, int]:
        """Sort key, hardest first when reversed: length, then syllables."""
        return (self.words, self.syllables)

    def segments(self) -> list[tuple[str, bool]]:
        """The text in pieces, each marked True when it is a formal "u"/"uw" to replace,
        so a template can highlight them without building HTML here."""
        pieces, start = [], 0
        for match in WORD.finditer(self.text):
            if match.group().lower() in FORMAL_WORDS:
                if match.start() > start:
                    pieces.append((self.text[start : match.start()], False))
                pieces.append((match.group(), True))
                start = match.end()
        if start < len(self.text):
            pieces.append((self.text[start:], False))
        return pieces


def formal_words(sentence: str) -> list[str]:
    """The words of ``sentence`` that address the reader formally ("u", "uw")."""
    return [word for word in WORD.findall(sentence) if word.lower() in FORMAL_WORDS]


def _worst_first(found) -> list[Sentence]:
    return sorted(found, key=lambda sentence: sentence.difficulty, reverse=True)


@dataclass
class PartCheck:
    """The findings for one step (or for the lesson's title and intro, part 0)."""

    number: int
    title: str
    readability: Readability
    sentences: list[Sentence]
    unknown_words: list[str] = field(default_factory=list)

    @property
    def is_intro(self) -> bool:
        return self.number == INTRO_PART

    @property
    def has_text(self) -> bool:
        return bool(self.sentences)

    @property
    def long_sentences(self) -> list[Sentence]:
        return _worst_first(s for s in self.sentences if s.words > LONG_SENTENCE_WORDS)

    @property
    def formal(self) -> list[Sentence]:
        return [sentence for sentence in self.sentences if sentence.formal]

    @property
    def longest(self) -> Sentence | None:
        return _worst_first(self.sentences)[0] if self.sentences else None

    @property
    def unknown_shown(self) -> list[str]:
        return self.unknown_words[:UNKNOWN_SHOWN]

    @property
    def unknown_more(self) -> int:
        return max(len(self.unknown_words) - UNKNOWN_SHOWN, 0)

    @property
    def has_findings(self) -> bool:
        return bool(
            self.long_sentences or self.formal or self.readability.long_words or self.unknown_words
        )


@dataclass
class LessonCheck:
    """The easy-language check of a whole lesson: per part, and the worst across parts."""

    parts: list[PartCheck]
    overall: Readability

    @property
    def has_text(self) -> bool:
        return any(part.has_text for part in self.parts)

    @property
    def steps(self) -> list[PartCheck]:
        return [part for part in self.parts if not part.is_intro]

    @property
    def hardest(self) -> list[Sentence]:
        """Every sentence over the limit, worst first: one 35-word sentence among many
        short feedback lines barely moves the average, so it is named on its own."""
        return _worst_first(s for part in self.parts for s in part.long_sentences)

    @property
    def longest(self) -> Sentence | None:
        every = [sentence for part in self.parts for sentence in part.sentences]
        return _worst_first(every)[0] if every else None

    @property
    def formal(self) -> list[Sentence]:
        return [sentence for part in self.parts for sentence in part.formal]


def _block_texts(child) -> list[str]:
    learner_texts = getattr(child.block, "learner_texts", None)
    if learner_texts is None:
        return []
    try:
        texts = learner_texts(child.value)
    except (AttributeError, KeyError, TypeError):
        # Half-written content from the editor (a field not filled in yet) must not stop
        # the check: this block simply has nothing to read yet.
        return []
    return [str(text) for text in texts if text]


def lesson_parts(lesson) -> list[tuple[int, str, list[str]]]:
    """(number, title, texts) for the lesson's title and intro (INTRO_PART), then for each
    step: its title and what the learner reads in its blocks."""
    parts = [(INTRO_PART, "", [text for text in (lesson.title, lesson.intro) if text])]
    for number, step in enumerate(lesson.steps or [], start=1):
        value = step.value or {}
        title = str(value.get("title") or "")
        texts = [title] if title else []
        for child in value.get("body") or []:
            texts.extend(_block_texts(child))
        parts.append((number, title, texts))
    return parts


def _sentences_of(text: str, number: int, title: str) -> list[Sentence]:
    found = []
    for sentence in sentences(text):
        words = WORD.findall(sentence)
        found.append(
            Sentence(
                text=sentence,
                words=len(words),
                syllables=sum(syllables(word) for word in words),
                step=number,
                step_title=title,
                formal=tuple(formal_words(sentence)),
            )
        )
    return found


def check_parts(
    parts: list[tuple[int, str, list[str]]], *, known: frozenset[str] = frozenset()
) -> LessonCheck:
    """The check of a lesson given as ``lesson_parts``; pure, so tests need no database."""
    whole = "\n".join(text for _number, _title, texts in parts for text in texts)
    overall = analyse(whole, known=known)
    # Unknown words are found in the whole lesson (a name is recognised anywhere in it) and
    # each is shown once, in the first part that uses it.
    unknown, seen = set(overall.unknown_words), set()
    checked = []
    for number, title, texts in parts:
        text = "\n".join(texts)
        words = [
            word for word in unknown_words(text, known) if word in unknown and word not in seen
        ]
        seen.update(words)
        checked.append(
            PartCheck(
                number=number,
                title=title,
                readability=analyse(text, known=known),
                sentences=_sentences_of(text, number, title),
                unknown_words=words,
            )
        )
    return LessonCheck(parts=checked, overall=overall)


def check_lesson(lesson, *, known: frozenset[str] = frozenset()) -> LessonCheck:
    return check_parts(lesson_parts(lesson), known=known)
