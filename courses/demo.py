"""Demo content from versioned source files (courses/demo_content/*.toml), not a dump.

Each file is one module in easy Dutch. Loading is idempotent: a module that already exists
(by slug) is left alone, so a second ``make run`` changes nothing and never overwrites what a
trainer edited. Block ids are derived from the module, lesson, step and block position, so
the same source gives the same ids on every machine.
"""

import datetime
import html
import re
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail.blocks import ListBlock
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from courses.blocks import SourceAssets, SourceError, StepContentBlock
from courses.glossary import (
    MAX_EXPLANATION,
    GlossaryTerm,
    content_language,
    form_key,
    source_language,
)
from courses.models import HomePage, LessonPage, ModuleIndexPage, ModulePage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
GLOSSARY_FILE = "glossary.toml"
ID_NAMESPACE = uuid.UUID("6f1d7a4e-2c1b-4c59-9d59-5b0f3a7d2e10")


class DemoContentError(Exception):
    pass


# --- site skeleton -------------------------------------------------------------------------


HOME_TITLE = "Leer stap voor stap digitaal"
HOME_INTRO = (
    "Hier leer je werken met je eID, itsme, je bankapp en de overheid online. "
    "In eenvoudige taal, stap voor stap. Je hebt geen account nodig om te beginnen."
)
INDEX_TITLE = "Alle modules"
INDEX_INTRO = "Kies een module. Begin waar je wilt. Je mag altijd stoppen en later verder doen."


@transaction.atomic
def site_ensure() -> tuple[HomePage, ModuleIndexPage]:
    """The home page, the module index and the default site, created when missing.

    Wagtail's own migration makes a placeholder "Welcome" page; it is replaced by our home
    page the first time. Also used by test fixtures, because transactional tests wipe the tree.
    """
    Locale.get_default() if Locale.objects.exists() else Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
            placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Digibank Leerplatform",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    index = ModuleIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ModuleIndexPage(title=INDEX_TITLE, slug="modules", intro=INDEX_INTRO)
        )
        index.save_revision().publish()
    return home, index


# --- source files → StreamField data -------------------------------------------------------


def _list(values: list, block_id: str) -> list[dict]:
    """A ListBlock value with an id per item, derived from the block's own id.

    Without stored ids Wagtail makes new random ones on every load, and a translation
    (wagtail-localize addresses each answer option by its id) could never find its item.
    """
    return [
        {"type": "item", "value": value, "id": str(uuid.uuid5(ID_NAMESPACE, f"{block_id}/{n}"))}
        for n, value in enumerate(values, start=1)
    ]


def _block_value(source: dict, where: str, block_id: str, assets=None):
    """The block asks for what it needs from its source (``value_from_source``)."""
    kind = source.get("type")
    block = StepContentBlock.base_blocks.get(kind)
    try:
        value = block.value_from_source(source, assets=assets) if block else None
    except SourceError as error:
        raise DemoContentError(f"{where}: {error}") from error
    if value is None:
        raise DemoContentError(f"{where}: onbekend bloktype {kind!r}")
    for name, child in getattr(block, "child_blocks", {}).items():
        if isinstance(child, ListBlock) and name in value:
            value[name] = _list(value[name], block_id)
    return value


def lesson_steps(module_slug: str, lesson: dict, *, assets=None) -> list[dict]:
    def block_id(*parts) -> str:
        return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))

    steps = []
    for step_number, step in enumerate(lesson["steps"], start=1):
        body = []
        for position, source in enumerate(step["body"], start=1):
            where = f"{module_slug}/{lesson['slug']} stap {step_number} blok {position}"
            this_id = block_id(module_slug, lesson["slug"], step_number, position)
            body.append(
                {
                    "type": source["type"],
                    "value": _block_value(source, where, this_id, assets),
                    "id": this_id,
                }
            )
        steps.append(
            {
                "type": "step",
                "value": {"title": step["title"], "body": body},
                "id": block_id(module_slug, lesson["slug"], step_number),
            }
        )
    return steps


def validate_steps(raw_steps: list[dict], where: str):
    """Run the same block validation a trainer meets in the editor.

    An H5P step's package is only made when loading, so without one (``--check``) its block
    is validated as text.
    """

    def stand_in(block):
        # Without its package (``--check``), an H5P step is checked as its intro text.
        if block["type"] == "image" and block["value"]["image"] is None:
            # Without the stored picture (``--check``), only its words are checked.
            return {"type": "text", "id": block["id"], "value": "<p>x</p>"}
        if block["type"] == "tap_spot" and block["value"]["image"] is None:
            # Without the stored picture, every other rule is checked (areas on the picture,
            # one right spot); the step stays an exercise, as a choice between its spots.
            tap_spot = StepContentBlock.base_blocks["tap_spot"]
            try:
                value = tap_spot.clean_without_image(block["value"])
            except ValidationError as error:
                raise DemoContentError(f"{where}: {error_text(error)}") from error
            options = [
                {"text": a["label"], "correct": a["correct"], "feedback": a["feedback"]}
                for a in value["areas"]
            ]
            choice = {"question": value["question"], "options": options}
            return {"type": "single_choice", "id": block["id"], "value": choice}
        if block["type"] != "h5p" or block["value"]["package"] is not None:
            return block
        if len(block["value"]["intro"]) > 200:
            raise DemoContentError(f"{where}: de uitleg bij de H5P-oefening is te lang")
        intro = html.escape(block["value"]["intro"] or "H5P")
        return {"type": "text", "id": block["id"], "value": f"<p>{intro}</p>"}

    raw_steps = [
        {**step, "value": {**step["value"], "body": [stand_in(b) for b in step["value"]["body"]]}}
        for step in raw_steps
    ]
    stream_block = LessonPage._meta.get_field("steps").stream_block
    value = stream_block.to_python(raw_steps)
    try:
        stream_block.clean(value)
    except ValidationError as error:
        raise DemoContentError(f"{where}: {error_text(error)}") from error
    return value


def error_text(error) -> str:
    if hasattr(error, "as_json_data"):
        return str(error.as_json_data())
    return "; ".join(error.messages)


@dataclass
class ModuleSource:
    path: Path
    data: dict

    @property
    def slug(self) -> str:
        return self.data["slug"]


def module_sources(directory: Path = CONTENT_DIR) -> list[ModuleSource]:
    sources = []
    for path in sorted(directory.glob("*.toml")):
        if path.name == GLOSSARY_FILE:
            continue
        with path.open("rb") as handle:
            try:
                sources.append(ModuleSource(path, tomllib.load(handle)))
            except tomllib.TOMLDecodeError as error:
                raise DemoContentError(f"{path.name}: {error}") from error
    return sources


def _date(value, where: str):
    """A TOML date (2026-12-04) or the same as text; None when the source has none."""
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise DemoContentError(f"{where}: facts_checked is geen datum (jjjj-mm-dd)") from error


def module_page_from(source: ModuleSource) -> ModulePage:
    data = source.data
    module = ModulePage(
        title=data["title"],
        slug=data["slug"],
        theme=data["theme"],
        competences=list(data["competences"]),
        level=data["level"],
        minutes=data["minutes"],
        summary=data["summary"].strip(),
        outcomes="\n".join(data["outcomes"]),
        facts_checked=_date(data.get("facts_checked"), source.path.name),
    )
    return module


def module_check(source: ModuleSource) -> None:
    """Validate a module and its lessons without writing anything."""
    module = module_page_from(source)
    try:
        module.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
    except ValidationError as error:
        raise DemoContentError(f"{source.path.name}: {error_text(error)}") from error
    lessons = source.data.get("lessons", [])
    if len(lessons) < 1:
        raise DemoContentError(f"{source.path.name}: geen lessen")
    for lesson in lessons:
        where = f"{source.path.name} les {lesson.get('slug')}"
        value = validate_steps(lesson_steps(source.slug, lesson), where)
        if not any(child.block.is_exercise for step in value for child in step.value["body"]):
            raise DemoContentError(f"{where}: elke les heeft minstens één oefening")


def _source_blocks(source: ModuleSource):
    for lesson in source.data["lessons"]:
        for step in lesson["steps"]:
            yield from step["body"]


def _demo_h5p_package_id(source: ModuleSource) -> int | None:
    """The demo H5P package's id when this module has an H5P step (made once, on demand)."""
    uses_h5p = any(block.get("type") == "h5p" for block in _source_blocks(source))
    if not uses_h5p:
        return None
    from courses.h5p.services import demo_package_ensure  # noqa: PLC0415

    package, _new = demo_package_ensure()
    return package.pk


SCREENS_COLLECTION = "Schermen van de demomodules"
# Block types whose source names a drawn picture (``file``): stored before the lessons.
PICTURE_BLOCKS = {"image", "tap_spot"}


def _demo_images(source: ModuleSource) -> dict[str, int]:
    """Store the module's screen pictures as images (once per file) → {file: image id}.

    A picture is found again by its file name as title in the demo collection, so a second
    ``make run`` stores nothing twice; a trainer may replace or re-title it in the admin.
    """
    from django.core.files.images import ImageFile  # noqa: PLC0415
    from wagtail.images import get_image_model  # noqa: PLC0415

    from courses.svg import svg_problems  # noqa: PLC0415

    files = sorted({b["file"] for b in _source_blocks(source) if b.get("type") in PICTURE_BLOCKS})
    if not files:
        return {}
    Image = get_image_model()  # noqa: N806 - a model class
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=SCREENS_COLLECTION).first() or root.add_child(
        name=SCREENS_COLLECTION
    )
    found = {}
    folder = source.path.parent.resolve()
    for name in files:
        path = (folder / name).resolve()
        if folder not in path.parents or not path.is_file():
            raise DemoContentError(f"{source.path.name}: afbeelding {name} bestaat niet")
        problems = svg_problems(path.read_bytes()) if path.suffix == ".svg" else []
        if problems:
            raise DemoContentError(f"{source.path.name}: {name}: {problems[0]}")
        image = Image.objects.filter(collection=collection, title=name).first()
        if image is None:
            with path.open("rb") as handle:
                image = Image(title=name, collection=collection)
                image.file = ImageFile(handle, name=path.name)
                image.save()
        found[name] = image.pk
    return found


@transaction.atomic
def module_load(source: ModuleSource, index: ModuleIndexPage) -> ModulePage | None:
    """Create the module and its lessons, unless a module with this slug already exists."""
    if ModulePage.objects.child_of(index).filter(slug=source.slug).exists():
        return None
    module_check(source)
    assets = SourceAssets(h5p_package_id=_demo_h5p_package_id(source), images=_demo_images(source))
    module = index.add_child(instance=module_page_from(source))
    module.save_revision().publish()
    for lesson in source.data["lessons"]:
        page = module.add_child(
            instance=LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                intro=lesson.get("intro", ""),
                steps=lesson_steps(source.slug, lesson, assets=assets),
            )
        )
        page.save_revision().publish()
    return module


def demo_load() -> list[ModulePage]:
    """Load every module source that is not in the tree yet. Returns the new modules."""
    _home, index = site_ensure()
    created = []
    for source in module_sources():
        module = module_load(source, index)
        if module is not None:
            created.append(module)
    return created


# --- translations: help beside the Dutch ---------------------------------------------------

TRANSLATIONS_DIR = CONTENT_DIR / "translations"


def translation_files() -> list[tuple[str, Path]]:
    """(language code, .po file) for every demo lesson translation, one folder per language."""
    shipped = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    found = []
    if TRANSLATIONS_DIR.is_dir():
        for folder in sorted(TRANSLATIONS_DIR.iterdir()):
            if folder.is_dir() and folder.name in shipped:
                found.extend((folder.name, path) for path in sorted(folder.glob("*.po")))
    return found


def translations_load(*, languages=None, lessons=None) -> int:
    """Publish the demo lesson translations that are not in the database yet.

    Goes through wagtail-localize, the way a trainer's translation would: the .po files hold
    the lesson's segments (exported from the Dutch lesson) with their translations. A lesson
    that already has a translation in a language is left alone, so a trainer's corrections
    survive a second ``make run``. Returns how many translations were added. ``languages``
    and ``lessons`` (slugs) narrow it down, for tests that need one translation quickly.
    """
    import polib  # noqa: PLC0415 - only needed when seeding
    from wagtail_localize.models import Translation, TranslationSource  # noqa: PLC0415

    added = 0
    for code, path in translation_files():
        if (languages and code not in languages) or (lessons and path.stem not in lessons):
            continue
        lesson = LessonPage.objects.live_dutch().filter(slug=path.stem).first()
        if lesson is None:
            continue  # the Dutch lesson was removed or renamed by a trainer
        locale, _created = Locale.objects.get_or_create(language_code=code)
        if lesson.get_translation_or_none(locale) is not None:
            continue
        # One transaction per translation: all of it or none, and one commit instead of
        # hundreds (wagtail-localize writes a row per segment; on SQLite each commit syncs).
        with transaction.atomic():
            source, _created = TranslationSource.get_or_create_from_instance(lesson)
            translation, _created = Translation.objects.get_or_create(
                source=source, target_locale=locale
            )
            translation.import_po(polib.pofile(str(path)), tool_name="seed_demo")
            translation.save_target(publish=True)
        added += 1
    return added


# --- glossary ------------------------------------------------------------------------------


def glossary_source(directory: Path = CONTENT_DIR) -> list[dict]:
    path = directory / GLOSSARY_FILE
    if not path.exists():
        return []
    with path.open("rb") as handle:
        try:
            return tomllib.load(handle).get("terms", [])
        except tomllib.TOMLDecodeError as error:
            raise DemoContentError(f"{GLOSSARY_FILE}: {error}") from error


def glossary_term_from(source: dict) -> GlossaryTerm:
    term = GlossaryTerm(
        term=source["term"],
        slug=source.get("slug", ""),
        variants=", ".join(source.get("variants", [])),
        explanation=" ".join(source["explanation"].split()),
    )
    if not term.slug:
        term.slug = slugify(term.term)
    return term


def glossary_check(sources: list[dict]) -> list[GlossaryTerm]:
    """Validate the demo terms without the database: fields, and no spelling used twice."""
    terms, owners = [], {}
    for number, source in enumerate(sources, start=1):
        where = f"{GLOSSARY_FILE} woord {number} ({source.get('term', '?')})"
        try:
            term = glossary_term_from(source)
            term.clean_fields(exclude=["locale", "translation_key", "image"])
        except KeyError as error:
            raise DemoContentError(f"{where}: mist {error}") from error
        except ValidationError as error:
            raise DemoContentError(f"{where}: {error_text(error)}") from error
        keys = [("adres", term.slug), *(("vorm", form_key(form)) for form in term.forms)]
        for key in keys:
            if key in owners:
                raise DemoContentError(f"{where}: {key[0]} '{key[1]}' hoort al bij {owners[key]}")
            owners[key] = term.term
        terms.append(term)
    return terms


@transaction.atomic
def glossary_load() -> list[GlossaryTerm]:
    """Add the demo terms whose slug is not in the glossary yet. Returns the new terms."""
    terms = glossary_check(glossary_source())
    locale = Locale.get_default()
    existing = set(GlossaryTerm.objects.filter(locale=locale).values_list("slug", flat=True))
    created = []
    for term in terms:
        if term.slug in existing:
            continue
        term.locale = locale
        try:
            term.full_clean()
        except ValidationError as error:
            raise DemoContentError(f"{GLOSSARY_FILE} {term.term}: {error_text(error)}") from error
        term.save()
        created.append(term)
    return created


# --- glossary translations -------------------------------------------------------------------
# Per term in glossary.toml: [terms.translations.<language>] with an explanation and, when the
# word itself changes in that language, a term (else the Dutch term is kept, e.g. "itsme").


def plain_spaces(text) -> str:
    """Line breaks and runs of spaces become one space; a no-break space stays (see the TOML)."""
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip()


@dataclass(frozen=True)
class TermTranslation:
    slug: str  # of the Dutch term it translates
    language: str
    term: str
    explanation: str


def glossary_translations_check(sources: list[dict]) -> list[TermTranslation]:
    """Validate the translations without the database: known language, short explanation."""
    term_length = GlossaryTerm._meta.get_field("term").max_length
    source = source_language()
    found = []
    for number, data in enumerate(sources, start=1):
        dutch = glossary_term_from(data) if "term" in data and "explanation" in data else None
        if dutch is None:
            continue  # glossary_check reports the missing field
        for language, fields in data.get("translations", {}).items():
            where = f"{GLOSSARY_FILE} woord {number} ({dutch.term}), vertaling '{language}'"
            if content_language(language) != language or language == source:
                raise DemoContentError(f"{where}: onbekende taal")
            if not isinstance(fields, dict):
                raise DemoContentError(f"{where}: schrijf [terms.translations.{language}]")
            term = plain_spaces(fields.get("term", dutch.term))
            explanation = plain_spaces(fields.get("explanation", ""))
            if not term or not explanation:
                raise DemoContentError(f"{where}: het woord of de uitleg is leeg")
            if len(term) > term_length:
                raise DemoContentError(f"{where}: het woord is langer dan {term_length} tekens")
            if len(explanation) > MAX_EXPLANATION:
                raise DemoContentError(
                    f"{where}: de uitleg is langer dan {MAX_EXPLANATION} tekens"
                    f" ({len(explanation)})"
                )
            found.append(TermTranslation(dutch.slug, language, term, explanation))
    return found


@transaction.atomic
def glossary_translations_load() -> list[GlossaryTerm]:
    """Translate the Dutch demo terms the Wagtail way (copy_for_translation). Returns the new ones.

    A translation that exists is left alone: a trainer may have corrected it. A Dutch term a
    trainer deleted is not brought back through its translations.
    """
    wanted = glossary_translations_check(glossary_source())
    if not wanted:
        return []
    dutch = {term.slug: term for term in GlossaryTerm.objects.filter(locale=Locale.get_default())}
    locales = {}
    for language in sorted({item.language for item in wanted}):
        locales[language], _new = Locale.objects.get_or_create(language_code=language)
    existing = set(
        GlossaryTerm.objects.filter(locale__in=locales.values()).values_list(
            "translation_key", "locale_id"
        )
    )
    created = []
    for item in wanted:
        original, locale = dutch.get(item.slug), locales[item.language]
        if original is None or (original.translation_key, locale.pk) in existing:
            continue
        translated = original.copy_for_translation(locale)
        translated.term = item.term
        translated.explanation = item.explanation
        # Only the Dutch forms are marked in lessons; Dutch variants would mean nothing here.
        translated.variants = ""
        try:
            translated.full_clean()
        except ValidationError as error:
            raise DemoContentError(
                f"{GLOSSARY_FILE} {original.term} ({item.language}): {error_text(error)}"
            ) from error
        translated.save()
        created.append(translated)
    return created
