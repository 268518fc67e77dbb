"""The glossary: hard words a trainer explains once, linked from every lesson step.

``GlossaryTerm`` is a snippet beside the page tree ("Woordenlijst" in the admin). Lessons
read the terms as plain data from the cache (``glossary_for_request``): one query when the
cache is cold, none when it is warm, whatever the number of terms. Saving or deleting a
term (or an image) clears the cache; see ``CoursesConfig.ready``.

Terms are translatable (``TranslatableMixin``) so wagtail-localize can add translations of
the explanation later. Dutch stays the main text: a translation is only shown beside it.
"""

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import TranslatableMixin

from courses.glossary_marking import StepMarker, TermMatcher, form_key

CACHE_KEY = "courses:glossary:v1"
CACHE_SECONDS = 60 * 60 * 24
IMAGE_SPEC = "max-320x240"
VARIANT_SEPARATOR = re.compile(r"[,\n;]")
MAX_EXPLANATION = 300


def split_variants(text: str) -> list[str]:
    """'pincodes, pin-code; PIN' → ['pincodes', 'pin-code', 'PIN'] (empty parts dropped)."""
    return [" ".join(part.split()) for part in VARIANT_SEPARATOR.split(text or "") if part.strip()]


class GlossaryTerm(TranslatableMixin, models.Model):
    term = models.CharField(
        _("woord"),
        max_length=80,
        help_text=_("Het woord zoals het meestal in de lessen staat, bv. 'pincode'."),
    )
    slug = models.SlugField(
        _("adres in de woordenlijst"),
        max_length=80,
        blank=True,
        allow_unicode=False,
        help_text=_("Laat leeg: het wordt gemaakt uit het woord (bv. 'qr-code')."),
    )
    variants = models.TextField(
        _("andere vormen"),
        max_length=400,
        blank=True,
        help_text=_(
            "Andere schrijfwijzen en het meervoud, gescheiden door komma's. "
            "Bv. 'pincodes, pin-code, PIN'. Ook die worden in de lessen gevonden."
        ),
    )
    explanation = models.TextField(
        _("korte uitleg"),
        max_length=MAX_EXPLANATION,
        help_text=_(
            "Eén tot drie korte zinnen in eenvoudige taal. Zeg 'je'. "
            "Gebruik geen ander moeilijk woord in de uitleg."
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("afbeelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Niet verplicht. Een foto of tekening die het woord toont."),
    )
    image_alt = models.CharField(
        _("alternatieve tekst bij de afbeelding"),
        max_length=200,
        blank=True,
        help_text=_("Wat staat er op de afbeelding? Bv. 'Een kaartlezer met een eID erin'."),
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("variants"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")],
            heading=_("Afbeelding"),
        ),
        FieldPanel("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("woord in de woordenlijst")
        verbose_name_plural = _("woordenlijst")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="glossary_slug_per_locale"),
        ]

    def __str__(self):
        return self.term

    @property
    def variant_list(self) -> list[str]:
        return split_variants(self.variants)

    @property
    def forms(self) -> list[str]:
        """The term and its variants: every spelling that is marked in a lesson."""
        return [self.term.strip(), *self.variant_list]

    def clean(self):
        super().clean()
        self.term = " ".join((self.term or "").split())
        if not self.slug:
            self.slug = slugify(self.term)
        if not self.slug:
            raise ValidationError({"term": _("Schrijf het woord met letters of cijfers.")})
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Schrijf wat er op de afbeelding staat.")})
        self._clean_forms()

    def _clean_forms(self):
        """Every spelling belongs to one term, else a lesson could not know which to link."""
        own = {}
        for form in self.forms:
            if form_key(form) in own:
                raise ValidationError(
                    {"variants": _("'%(form)s' staat er twee keer.") % {"form": form}}
                )
            own[form_key(form)] = form
        others = GlossaryTerm.objects.exclude(pk=self.pk)
        if self.locale_id:
            others = others.filter(locale_id=self.locale_id)
        for other in others.only("term", "variants", "slug"):
            if other.slug == self.slug:
                raise ValidationError(
                    {"slug": _("Dit adres hoort al bij '%(term)s'.") % {"term": other.term}}
                )
            for form in other.forms:
                if form_key(form) in own:
                    raise ValidationError(
                        {
                            "variants": _("'%(form)s' hoort al bij het woord '%(term)s'.")
                            % {"form": own[form_key(form)], "term": other.term}
                        }
                    )

    def explanation_translation(self, locale):
        """The explanation in another language, or None; never instead of the Dutch."""
        if locale is None or locale.pk == self.locale_id:
            return None
        translated = self.get_translation_or_none(locale)
        return translated.explanation if translated else None


# --- reading the glossary: plain data, cached ------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One term as the lesson pages need it: no model instance, safe to keep in a cache."""

    slug: str
    term: str
    forms: tuple[str, ...]
    explanation: str
    language: str
    translation_key: str
    image_url: str = ""
    image_width: int = 0
    image_height: int = 0
    image_alt: str = ""

    @property
    def direction(self) -> str:
        """'rtl' for Arabic, else 'ltr': a translation keeps its own direction on any page."""
        try:
            return "rtl" if translation.get_language_info(self.language)["bidi"] else "ltr"
        except KeyError:
            return "ltr"


def _image_data(term: GlossaryTerm) -> dict:
    if term.image is None:
        return {}
    try:
        rendition = term.image.get_rendition(IMAGE_SPEC)
    except Exception:  # noqa: BLE001 - a missing image file must not break a lesson
        return {}
    return {
        "image_url": rendition.url,
        "image_width": rendition.width,
        "image_height": rendition.height,
        "image_alt": term.image_alt,
    }


def entries_load() -> list[Entry]:
    """Every term in every locale, in one query (plus renditions when a term has an image)."""
    terms = GlossaryTerm.objects.select_related("locale", "image").prefetch_related(
        "image__renditions"
    )
    return [
        Entry(
            slug=term.slug,
            term=term.term,
            forms=tuple(term.forms),
            explanation=term.explanation,
            language=term.locale.language_code,
            translation_key=str(term.translation_key),
            **_image_data(term),
        )
        for term in terms
    ]


_MISSING = object()


def entries_cached() -> list[Entry]:
    entries = cache.get(CACHE_KEY, _MISSING)
    if entries is _MISSING:
        entries = entries_load()
        cache.set(CACHE_KEY, entries, CACHE_SECONDS)
    return entries


def glossary_cache_clear() -> None:
    cache.delete(CACHE_KEY)


def glossary_changed(**_kwargs) -> None:
    """Signal receiver: a term or an image changed, so the next page reads them again."""
    glossary_cache_clear()
    # A page served before the change is committed may have cached the old terms again.
    transaction.on_commit(glossary_cache_clear)


def source_language() -> str:
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def content_language(language: str | None) -> str | None:
    try:
        return get_supported_content_language_variant(language) if language else None
    except LookupError:
        return None


class Glossary:
    """The terms for one request: the Dutch terms, their translations, and what was marked.

    The terms are read on first use, so a step with only an exercise costs nothing.
    """

    def __init__(self, entries: list[Entry] | None = None):
        if entries is not None:
            self.__dict__["entries"] = entries
        self.source = source_language()
        self.used: dict[str, Entry] = {}

    @cached_property
    def entries(self) -> list[Entry]:
        return entries_cached()

    @cached_property
    def terms(self) -> list[Entry]:
        """The Dutch terms, alphabetically."""
        dutch = [entry for entry in self.entries if entry.language == self.source]
        return sorted(dutch, key=lambda entry: (form_key(entry.term), entry.slug))

    @cached_property
    def _translations(self) -> dict[tuple[str, str], Entry]:
        return {
            (entry.translation_key, entry.language): entry
            for entry in self.entries
            if entry.language != self.source
        }

    def translation(self, entry: Entry, language: str | None = None) -> Entry | None:
        """The same term in the active language, when there is one and it is not Dutch.

        The same answer as ``GlossaryTerm.get_translation_or_none(Locale.get_active())``,
        read from the cached list instead of one query per term.
        """
        wanted = content_language(language or translation.get_language())
        if wanted is None or wanted == self.source:
            return None
        return self._translations.get((entry.translation_key, wanted))

    @cached_property
    def matcher(self) -> TermMatcher:
        return _matcher_for(tuple(self.terms))

    def marker(self, *, back: str = "") -> StepMarker:
        return StepMarker(self, back=back)


@lru_cache(maxsize=4)
def _matcher_for(terms: tuple[Entry, ...]) -> TermMatcher:
    # Keyed on the terms' content (entries are frozen, so equal lists hit the same key):
    # each process builds the pattern once per version of the glossary, not per request.
    return TermMatcher(terms)


def glossary_for_request(request=None) -> Glossary:
    """The glossary, read once per request (and from the cache across requests)."""
    if request is None:
        return Glossary()
    glossary = getattr(request, "_glossary", None)
    if glossary is None:
        glossary = Glossary()
        request._glossary = glossary
    return glossary
