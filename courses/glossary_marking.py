"""Mark the first use of each glossary term in a lesson step as a link to its explanation.

Rules (tested in tests/courses/test_glossary_marking.py):

- Only the first occurrence per step is marked, of the term or any of its variants; the
  marker remembers what it marked across the blocks of one step.
- Case does not count ("PINCODE", "Pincode" and "pincode" are the same word).
- Whole words only. Letters and digits (any script) belong to a word; a hyphen, a space or
  punctuation ends it. So "eID" is found in "eID-kaart" (a hyphenated compound: the eID is
  explained) but not in "eIDkaart", and "pincode" is not found in "pincodes": plurals and
  other forms are listed as variants ("pincodes"). A word glued to a dot, slash or @ and
  more letters is part of an address ("itsme.be", "app/website") and is not marked.
- The longest form wins where two start at the same place ("QR-code" before "QR").
- Spaces inside a term ("Mijn Burgerprofiel") match any white space, line breaks included.
- Never inside links, headings, buttons, form controls and labels, code, the button shapes
  written [[Volgende]], or a term that is already marked; a term split over two tags
  ("<b>QR</b>-code") is not found.

Only text nodes change; the new link's text and address are escaped by BeautifulSoup, and
a block with nothing to mark is returned untouched (not even re-serialised).
"""

import html as html_lib
import re
from collections.abc import Iterable
from urllib.parse import quote

from bs4 import BeautifulSoup, NavigableString
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

SKIP_TAGS = frozenset(
    {
        "a",
        "button",
        "code",
        "pre",
        "kbd",
        "samp",
        "script",
        "style",
        "template",
        "textarea",
        "select",
        "option",
        "label",
        "summary",
        "form",
        "svg",
        "math",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
SKIP_CLASSES = frozenset({"button-label", "glossary-term"})
MARK_CLASS = "glossary-term"
HINT_ID = "woordenlijst-hint"

# A word character is a Unicode letter or digit. Before the term: no word character, and
# no address glue (".", "/", "@", ":"). After it: no word character, no "@", and no
# address glue followed by more word characters (a full stop at the end of a sentence is
# fine).
BEFORE = r"(?<![\w.@/:])"
AFTER = r"(?![\w@])(?![./:]\w)"


def form_key(form: str) -> str:
    """How two spellings are compared: case and spacing do not count."""
    return " ".join(form.split()).casefold()


def _form_pattern(form: str) -> str:
    return r"\s+".join(re.escape(part) for part in form.split())


class TermMatcher:
    """Finds the terms (objects with ``slug`` and ``forms``) in plain text."""

    def __init__(self, terms: Iterable):
        self.by_form = {}
        for term in terms:
            for form in term.forms:
                if form.strip():
                    self.by_form.setdefault(form_key(form), term)
        forms = sorted(self.by_form, key=len, reverse=True)
        self.pattern = (
            re.compile(
                BEFORE + "(?:" + "|".join(_form_pattern(form) for form in forms) + ")" + AFTER,
                re.IGNORECASE,
            )
            if forms
            else None
        )

    def __bool__(self):
        return self.pattern is not None

    def finditer(self, text: str):
        """(start, end, term) for every match, left to right."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            term = self.by_form.get(form_key(match.group()))
            if term is not None:
                yield match.start(), match.end(), term


def _skipped(node) -> bool:
    for parent in node.parents:
        if parent.name in SKIP_TAGS:
            return True
        classes = parent.get("class") or []
        if SKIP_CLASSES.intersection(classes):
            return True
    return False


class StepMarker:
    """Marks the terms of one lesson step; feed it the step's blocks in order.

    ``glossary`` has ``matcher`` and a ``used`` dict (what the page must explain);
    ``back`` is the step's own address, so the glossary page can offer "Terug naar de les".
    """

    def __init__(self, glossary, *, back: str = "", href=None):
        self.glossary = glossary
        self.back = back
        self.seen: set[str] = set()
        self.marked: list = []
        self._href = href

    @property
    def matcher(self) -> TermMatcher:
        # Read lazily: the terms are only loaded when a block is actually marked.
        return self.glossary.matcher

    def href(self, term) -> str:
        if self._href is not None:
            return self._href(term)
        base = reverse("courses:glossary")
        query = f"?terug={quote(self.back, safe='/')}" if self.back else ""
        return f"{base}{query}#{term.slug}"

    def _has_new_term(self, html: str) -> bool:
        # A cheap look at the whole block first: most blocks have nothing new to mark.
        return any(
            term.slug not in self.seen
            for _start, _end, term in self.matcher.finditer(html_lib.unescape(html))
        )

    def mark(self, html: str) -> SafeString:
        html = str(html)
        if not self.matcher or not self._has_new_term(html):
            return mark_safe(html)  # noqa: S308 - returned as it came, from a block template
        soup = BeautifulSoup(html, "html.parser")
        for node in list(soup.find_all(string=True)):
            if type(node) is not NavigableString or _skipped(node):
                continue
            self._mark_text(soup, node)
        return mark_safe(str(soup))  # noqa: S308 - serialised by BeautifulSoup, text escaped

    def _mark_text(self, soup, node):
        text = str(node)
        pieces, position = [], 0
        for start, end, term in self.matcher.finditer(text):
            if term.slug in self.seen:
                continue
            self.seen.add(term.slug)
            self.marked.append(term)
            self.glossary.used.setdefault(term.slug, term)
            if start > position:
                pieces.append(NavigableString(text[position:start]))
            link = soup.new_tag(
                "a",
                href=self.href(term),
                attrs={
                    "class": MARK_CLASS,
                    "data-glossary": term.slug,
                    "aria-describedby": HINT_ID,
                },
            )
            link.string = text[start:end]
            pieces.append(link)
            position = end
        if pieces:
            if position < len(text):
                pieces.append(NavigableString(text[position:]))
            node.replace_with(*pieces)


def mark_terms(html: str, terms: Iterable, *, href=None) -> SafeString:
    """Mark one piece of HTML on its own (a step of one block); used by tests and scripts."""

    class _Glossary:
        def __init__(self):
            self.matcher = TermMatcher(terms)
            self.used = {}

    return StepMarker(_Glossary(), href=href).mark(html)
