"""The project's basic Dutch word lists, read from ``courses/wordlists/*.txt``.

- ``basiswoorden.txt``: everyday word forms an A2 reader knows (inflected forms and
  plurals listed one by one: there is no stemming).
- ``platformwoorden.txt``: everyday digital words the lessons teach; they count as known
  once a lesson has explained them.

Glossary terms count as known too (a learner taps them for the explanation). They live in
the database, so ``glossary_words()`` is separate: ``courses.readability`` takes them as a
plain set and stays testable without a database.
"""

from functools import lru_cache
from pathlib import Path

WORDLIST_DIR = Path(__file__).resolve().parent / "wordlists"
LIST_FILES = ("basiswoorden.txt", "platformwoorden.txt")


def normalise(word: str) -> str:
    """How a word is looked up: case does not count, a curly apostrophe is a straight one."""
    return word.replace("’", "'").casefold()


def read_list(name: str) -> list[str]:
    """The words of one list file, in file order; '#' starts a comment line."""
    lines = (WORDLIST_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def basic_words() -> frozenset[str]:
    return frozenset(normalise(word) for name in LIST_FILES for word in read_list(name))


def glossary_words() -> frozenset[str]:
    """Every Dutch glossary form, and each word of a form of several words."""
    from courses.glossary import Glossary  # the database, only when asked

    words = set()
    for entry in Glossary().terms:
        for form in entry.forms:
            words.add(normalise(" ".join(form.split())))
            words.update(normalise(part) for part in form.split())
    return frozenset(words)
