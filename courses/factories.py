"""Factories for pages and lesson content, used by the tests.

Lesson steps are built as StreamField data with ``step_*`` helpers, so a test says what it
needs ("three text steps and a single-choice exercise") instead of loading a fixture.
"""

import uuid

import factory
import wagtail_factories
from django.utils.text import slugify
from wagtail.models import Locale

from courses.glossary import GlossaryTerm
from courses.models import LessonPage, ModulePage


def text_step(title="Uitleg", text="Je eID heeft een chip."):
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "body": [{"type": "text", "id": str(uuid.uuid4()), "value": f"<p>{text}</p>"}],
        },
    }


def _items(values):
    """ListBlock items with stored ids, as Wagtail saves them (translations need them)."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def exercise_step(kind="single_choice", title="Oefening", block_id=None):
    values = {
        "single_choice": {
            "question": "Hoeveel cijfers heeft je pincode?",
            "options": [
                {"text": "4", "correct": True, "feedback": "Juist, 4 cijfers."},
                {"text": "6", "correct": False, "feedback": "Nee, het zijn er 4."},
                {"text": "8", "correct": False, "feedback": "Nee, het zijn er 4."},
            ],
        },
        "multiple_choice": {
            "question": "Wat heb je nodig?",
            "pass_rule": "all",
            "options": [
                {"text": "Je eID", "correct": True, "feedback": "Ja."},
                {"text": "Een kaartlezer", "correct": True, "feedback": "Ja."},
                {"text": "Je rijbewijs", "correct": False, "feedback": "Nee."},
            ],
        },
        "true_false": {
            "question": "Je bank vraagt je pincode via sms.",
            "is_true": False,
            "feedback_correct": "Juist: dat doet je bank nooit.",
            "feedback_wrong": "Niet juist: je bank vraagt nooit je pincode.",
        },
        "ordering": {
            "question": "In welke volgorde?",
            "items": ["Kaart in de lezer", "Aanmelden", "Pincode typen"],
            "feedback_correct": "Goed zo!",
            "feedback_wrong": "Nog niet: kaart, aanmelden, pincode.",
        },
    }
    value = dict(values[kind])
    for list_field in ("options", "items"):
        if list_field in value:
            value[list_field] = _items(value[list_field])
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "body": [{"type": kind, "id": block_id or str(uuid.uuid4()), "value": value}],
        },
    }


def steps(text_steps=2, exercises=("single_choice",)):
    return [text_step(title=f"Uitleg {n}") for n in range(1, text_steps + 1)] + [
        exercise_step(kind) for kind in exercises
    ]


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Module {n}")
    theme = "identity"
    competences = factory.LazyFunction(lambda: ["2.6"])
    level = 1
    minutes = 30
    summary = "Je leert iets nuttigs."
    outcomes = "Je kunt iets nieuws."

    class Meta:
        model = ModulePage


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Les {n}")
    intro = "Een korte les."
    steps = factory.LazyFunction(steps)

    class Meta:
        model = LessonPage


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    term = factory.Sequence(lambda n: f"woord{n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.term))
    variants = ""
    explanation = factory.LazyAttribute(lambda obj: f"Uitleg bij {obj.term}. In korte zinnen.")
    locale = factory.LazyFunction(Locale.get_default)

    class Meta:
        model = GlossaryTerm


TAP_SPOT_AREAS = [
    {
        "label": "eID of kaartlezer",
        "x": 5,
        "y": 25,
        "width": 90,
        "height": 10,
        "correct": True,
        "feedback": "Juist. Met deze knop log je in met je eID.",
    },
    {
        "label": "itsme",
        "x": 5,
        "y": 40,
        "width": 90,
        "height": 10,
        "correct": False,
        "feedback": "Nee. itsme is een andere sleutel.",
    },
    {
        "label": "Beveiligingscode via sms",
        "x": 5,
        "y": 70,
        "width": 90,
        "height": 10,
        "correct": False,
        "feedback": "Nee. Zoek de knop met eID.",
    },
]


def tap_spot_step(image, title="Oefening: tik op de juiste plek", block_id=None):
    """A step with a "Tik op de juiste plek" on ``image`` (a Wagtail image): three buttons,
    the first one right."""
    value = {
        "question": "Tik op de knop om in te loggen met je eID.",
        "image": image.pk,
        "alt_text": "Het scherm Aanmelden met drie knoppen.",
        "areas": _items(TAP_SPOT_AREAS),
    }
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "body": [{"type": "tap_spot", "id": block_id or str(uuid.uuid4()), "value": value}],
        },
    }


def h5p_step(package, title="Oefening", block_id=None, intro="Kies het juiste antwoord."):
    """A step with an H5P-oefening playing ``package`` (an H5PPackage)."""
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "body": [
                {
                    "type": "h5p",
                    "id": block_id or str(uuid.uuid4()),
                    "value": {"package": package.pk, "intro": intro},
                }
            ],
        },
    }


def sandbox_step(
    title="Oefenen in de Oefenbank",
    block_id=None,
    *,
    default_mode="guided",
    guided_counts=True,
    start_balance="250.00",
    scenario="oefenbank-overschrijving",
    intro="Maak een overschrijving in de Oefenbank.",
):
    """A step with a sandbox (a SandboxBlock; the Oefenbank unless ``scenario`` says
    another) and a short text before it."""
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "body": [
                {
                    "type": "text",
                    "id": str(uuid.uuid4()),
                    "value": "<p>Nu oefen je zelf. Het is geen echt geld.</p>",
                },
                {
                    "type": "sandbox",
                    "id": block_id or str(uuid.uuid4()),
                    "value": {
                        "scenario": scenario,
                        "intro": intro,
                        "default_mode": default_mode,
                        "guided_counts": guided_counts,
                        "start_balance": start_balance,
                    },
                },
            ],
        },
    }
