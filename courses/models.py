"""The page tree of what is learned: home → module index → module → lesson.

``courses`` imports no other app: it knows nothing about learners or partners. The page
templates show progress and next steps with the template tags of ``learning`` and
``catalogue``, and ``learning``'s ``before_serve_page`` hook records step views, keyed on
page ids (docs/architecture.md, "Import direction").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from courses.blocks import StepBlock
from courses.fields import CompetencesField
from courses.glossary import GlossaryTerm  # noqa: F401 - a model in its own module
from courses.h5p.models import H5PPackage  # noqa: F401 - a model of this app, in its package
from courses.listing import (
    learnable_lessons_by_parent,
    learnable_modules,
    listed_module_of,
    next_listed_lesson,
)
from courses.panels import ReadabilityPanel
from courses.routing import FewQueriesMixin, lesson_route
from courses.translations import step_translation
from courses.vocabulary import LEVEL_CHOICES, THEME_CHOICES, THEME_ORDER


class CoursePageQuerySet(PageQuerySet):
    def live_dutch(self):
        """Live pages in Dutch, the source locale. Lazy: safe in a form's class body.

        Translations made with wagtail-localize are help shown beside the Dutch ("Toon
        vertaling"), never pages of their own: nobody lists, opens, completes or gets a
        certificate for a translated copy.
        """
        return self.live().filter(locale__language_code=settings.LANGUAGE_CODE)

    def learnable(self):
        """Live, public pages in Dutch. ``public()`` reads the view restrictions when it is
        called, so call this at request time, never at import time."""
        return self.live_dutch().public()


CoursePageManager = PageManager.from_queryset(CoursePageQuerySet)

STEP_PREFIX = "stap-"
FINISH_SLUG = "klaar"


class HomePage(FewQueriesMixin, Page):
    intro = models.TextField(
        _("welkomsttekst"),
        max_length=400,
        blank=True,
        help_text=_("Twee of drie korte zinnen: wat kan je hier leren?"),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ModuleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startpagina")

    def save(self, *args, **kwargs):
        # A translated copy of the home page only holds translated lessons and stays
        # unpublished: Wagtail routes the site through a *live* translation of its root page
        # in the active language, and learners must always walk the Dutch tree (a
        # translation is help shown inside the Dutch lesson, see courses/translations.py).
        if self.locale_id and self.locale.language_code != settings.LANGUAGE_CODE:
            self.live = False
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = modules_by_theme()
        return context

    @property
    def localized(self):
        # Wagtail routes every request through ``site.root_page.localized``: one query for
        # the active Locale, and another for a translation in any other language, only to
        # end at the live home page itself, because a translation never is (``save`` above).
        return self if self.live else super().localized

    def route(self, request, path_components):
        # A lesson step, the page learners open most, in one query (courses/routing.py).
        found = lesson_route(self, request, path_components, LessonPage)
        return found if found is not None else super().route(request, path_components)


class ModuleIndexPage(FewQueriesMixin, Page):
    intro = models.TextField(_("inleiding"), max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("overzicht van de modules")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = modules_by_theme()
        return context


def modules_by_theme():
    """Live modules grouped by theme, in the vocabulary's order: [(label, [modules])]."""
    modules = learnable_modules()
    groups: dict[str, list[ModulePage]] = {}
    for module in modules:
        groups.setdefault(module.theme, []).append(module)
    labels = dict(THEME_CHOICES)
    return [
        (labels[theme], groups[theme])
        for theme in sorted(groups, key=lambda theme: THEME_ORDER.get(theme, 99))
    ]


class ModulePage(FewQueriesMixin, Page):
    objects = CoursePageManager()

    theme = models.CharField(_("thema"), max_length=20, choices=THEME_CHOICES)
    competences = CompetencesField(
        _("DigComp-competenties"),
        blank=False,
        help_text=_("Welke digitale vaardigheden oefent deze module? Kies er één tot drie."),
    )
    level = models.PositiveSmallIntegerField(_("niveau"), choices=LEVEL_CHOICES, default=1)
    minutes = models.PositiveSmallIntegerField(
        _("geschatte duur in minuten"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    # Screens and rules of public services change: learners and trainers see how fresh
    # the module's facts are, and a trainer knows when to check them again.
    facts_checked = models.DateField(
        _("informatie gecontroleerd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer heb je de feiten in deze module het laatst nagekeken?"),
    )
    summary = models.TextField(
        _("korte samenvatting"),
        max_length=300,
        help_text=_("Eén of twee zinnen in eenvoudige taal: wat leer je hier?"),
    )
    outcomes = models.TextField(
        _("wat kan je daarna?"),
        max_length=600,
        help_text=_("Eén zin per regel, bv. 'Je kunt je pincode veilig gebruiken.'"),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("afbeelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("alternatieve tekst bij de afbeelding"),
        max_length=200,
        blank=True,
        help_text=_("Wat staat er op de afbeelding? Laat leeg als ze alleen versiert."),
    )
    cover_decorative = models.BooleanField(_("afbeelding is alleen versiering"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("theme"),
                FieldPanel("level"),
                FieldPanel("minutes"),
                FieldPanel("facts_checked"),
            ],
            heading=_("Over de module"),
        ),
        FieldPanel("competences"),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_alt"), FieldPanel("cover_decorative")],
            heading=_("Afbeelding"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types = ["courses.ModuleIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_decorative and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": _("Schrijf wat er op de afbeelding staat, of vink 'versiering' aan.")}
            )
        if not 1 <= len(self.competences or []) <= 3:
            raise ValidationError({"competences": _("Kies één tot drie competenties.")})

    @property
    def cover_text_alternative(self) -> str:
        return "" if self.cover_decorative else self.cover_alt

    @property
    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    def lessons(self):
        return LessonPage.objects.child_of(self).learnable().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = learnable_lessons_by_parent().get(self.path, [])
        return context


def stream_item(stream, position: int):
    """Item ``position`` of a StreamField value, converted alone.

    Indexing a lazy StreamValue converts every item of the same type (Wagtail batches their
    database lookups); a lesson page shows one step and needs only that one.
    """
    if not stream.is_lazy:
        return stream[position]
    raw = stream.raw_data[position]
    block = stream.stream_block.child_blocks[raw["type"]]
    return StreamValue.StreamChild(block, block.to_python(raw["value"]), id=raw.get("id"))


def _available(child) -> bool:
    # An H5P step whose package was deleted cannot be played: it must not keep the lesson
    # from being completed.
    available = getattr(child.block, "is_available", None)
    return available(child.value) if available else True


class LessonPage(FewQueriesMixin, Page):
    """A lesson: an ordered list of steps, one idea per screen.

    Addresses: ``…/les/`` is step 1, ``…/les/stap-3/`` step 3, ``…/les/klaar/`` the end.
    """

    objects = CoursePageManager()

    intro = models.CharField(
        _("korte inleiding"),
        max_length=200,
        blank=True,
        help_text=_("Eén zin: wat leer je in deze les?"),
    )
    steps = StreamField(
        [("step", StepBlock())],
        min_num=1,
        # A new lesson opens with its first step ready to fill in, not with an error.
        default=[{"type": "step", "value": {}}],
        verbose_name=_("stappen"),
        help_text=_("Eén idee per stap. Zet in elke les minstens één oefening."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("steps"),
        ReadabilityPanel(),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    preview_modes = [("", _("Alle stappen onder elkaar")), ("step", _("Eerste stap"))]

    class Meta:
        verbose_name = _("les")

    # --- structure, used by templates and by ``learning`` ----------------------------------

    @property
    def step_count(self) -> int:
        if "steps" not in self.__dict__ and "step_total" in self.__dict__:
            return self.step_total  # a listing's copy, without its steps (courses/listing.py)
        return len(self.steps)

    def get_step(self, number: int):
        if not 1 <= number <= self.step_count:
            raise Http404
        return self._step(number - 1)

    def _step(self, position: int):
        """One step, converted on its own and kept for this instance's current ``steps``.

        Indexing the lazy StreamField value would convert every step at once, with one query
        for the pictures of all of them, on every page of the lesson.
        """
        kept = self.__dict__.get("_steps_converted")
        if kept is None or kept[0] is not self.steps:
            kept = self.__dict__["_steps_converted"] = (self.steps, {})
        if position not in kept[1]:
            kept[1][position] = stream_item(self.steps, position)
        return kept[1][position]

    @cached_property
    def exercises(self) -> dict[str, tuple[int, object]]:
        """{block id: (step number, bound block)} for every exercise in the lesson."""
        found = {}
        for number in range(1, self.step_count + 1):
            body = self.get_step(number).value["body"]
            kinds = body.stream_block.child_blocks
            # By the raw type first: taking a child converts every block of its type in the
            # step, so pictures are never loaded here (a query per step with pictures).
            for position, raw in enumerate(body.raw_data):
                if not getattr(kinds.get(raw["type"]), "is_exercise", False):
                    continue
                child = body[position]
                if _available(child):
                    found[child.id] = (number, child)
        return found

    @cached_property
    def required_exercises(self) -> dict[str, tuple[int, object]]:
        """The exercises that count for completing the lesson (and for its score).

        Every native exercise, and H5P steps whose package is a question type. A learner
        for whom an H5P step does not work (no JavaScript, an old phone) may skip it, so
        every lesson can still be finished (``learning.services.exercise_skip``).
        """
        return {
            block_id: found
            for block_id, found in self.exercises.items()
            if found[1].block.counts_for_lesson(found[1].value)
        }

    @cached_property
    def optional_exercises(self) -> dict[str, tuple[int, object]]:
        """Extra exercises: H5P content with nothing to pass (see ``required_exercises``)."""
        return {
            block_id: found
            for block_id, found in self.exercises.items()
            if block_id not in self.required_exercises
        }

    def step_title(self, number: int) -> str:
        return self.get_step(number).value["title"]

    def find_exercise(self, block_id: str):
        return self.exercises.get(block_id)

    def step_url(self, number: int) -> str:
        base = self.url
        return base if number == 1 else f"{base}{STEP_PREFIX}{number}/"

    def finish_url(self) -> str:
        return f"{self.url}{FINISH_SLUG}/"

    def module(self):
        # From the listing when the module is learnable (courses/listing.py); else read.
        return listed_module_of(self) or ModulePage.objects.parent_of(self).first()

    def next_lesson(self):
        """The next learnable lesson of the same module, as a LessonPage (never a plain
        Page: callers use ``step_url``), or None; from the listing (courses/listing.py)."""
        return next_listed_lesson(self)

    # --- serving ---------------------------------------------------------------------------

    def route(self, request, path_components):
        if not self.live:
            raise Http404
        if not path_components:
            return RouteResult(self, kwargs={"step": 1})
        if len(path_components) == 1:
            (component,) = path_components
            if component == FINISH_SLUG:
                return RouteResult(self, kwargs={"finished": True})
            number = component.removeprefix(STEP_PREFIX)
            # One address per step: "stap-1" is the lesson's own address, "stap-03" is "stap-3".
            well_formed = (
                component.startswith(STEP_PREFIX) and number.isascii() and number.isdigit()
            )
            if well_formed and number[0] != "0" and 2 <= int(number) <= self.step_count:
                return RouteResult(self, kwargs={"step": int(number)})
        raise Http404

    def serve(self, request, *args, step=1, finished=False, **kwargs):
        context = self.get_context(request, *args, **kwargs)
        if finished:
            context["module_page"] = self.module()
            context["next_lesson"] = self.next_lesson()
            return TemplateResponse(request, "courses/lesson_finished.html", context)
        context.update(self.step_context(step))
        context["translation"] = step_translation(self, step)
        return TemplateResponse(request, self.get_template(request), context)

    def step_context(self, number: int) -> dict:
        step = self.get_step(number)
        return {
            "step_number": number,
            "step": step,
            # The H5P bridge script (5.7 KB) only where a step plays an H5P package.
            # By the raw type: iterating the blocks would convert them all (a query for
            # the step's pictures, whose HTML comes from the cache: courses/step_cache.py).
            "step_has_h5p": any(raw["type"] == "h5p" for raw in step.value["body"].raw_data),
            "previous_url": self.step_url(number - 1) if number > 1 else None,
            "next_url": self.step_url(number + 1) if number < self.step_count else None,
            "finish_url": self.finish_url(),
        }

    def serve_preview(self, request, mode_name):
        context = self.get_context(request)
        context["h5p_preview"] = True  # H5P steps play, but record nothing
        if mode_name == "step":
            context.update(self.step_context(1))
            return TemplateResponse(request, self.get_template(request), context)
        return TemplateResponse(request, "courses/lesson_preview_all.html", context)
