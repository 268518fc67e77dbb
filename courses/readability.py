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
