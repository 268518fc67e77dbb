"""Help in the learner's language beside the Dutch lesson ("Toon vertaling").

Trainers translate lessons with wagtail-localize; the translated LessonPage lives in its own
locale tree and is never served. Here we only read the translated step that matches the
Dutch step on screen (same block id: wagtail-localize keeps the StreamField's ids), and turn
it into plain parts a template can show. Each block says what it shows there
(``translation_part`` in ``courses/blocks.py``): text blocks themselves, exercises as text
only — the Dutch form stays the one that is answered — and an ordering exercise keeps the
Dutch mixed-up order, so the translation never gives the answer away.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info


@dataclass
class StepTranslation:
    code: str
    name: str
    bidi: bool
    title: str
    parts: list = field(default_factory=list)  # bound blocks or blocks.TranslatedExercise


def step_translation(lesson, number: int) -> StepTranslation | None:
    """The step ``number`` of ``lesson`` in the active help language, or None.

    One query, and only when the interface is not Dutch.
    """
    code = translation.get_language()
    if not code or code == settings.LANGUAGE_CODE or code not in dict(settings.LANGUAGES):
        return None
    translated_lesson = (
        type(lesson)
        .objects.live()
        .filter(translation_key=lesson.translation_key, locale__language_code=code)
        .first()
    )
    if translated_lesson is None:
        return None
    dutch_step = lesson.get_step(number)
    step = next((s for s in translated_lesson.steps if s.id == dutch_step.id), None)
    if step is None:
        return None
    dutch_blocks = {child.id: child for child in dutch_step.value["body"]}
    parts = []
    for child in step.value["body"]:
        part = child.block.translation_part(child, dutch_blocks.get(child.id))
        if part is not None:
            parts.append(part)
    info = get_language_info(code)
    return StepTranslation(
        code=code,
        name=dict(settings.LANGUAGES)[code],
        bidi=info["bidi"],
        title=step.value["title"],
        parts=parts,
    )
