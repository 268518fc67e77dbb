"""The arrows between the apps in the templates, which import-linter cannot see.

`lint-imports` checks the Python imports against the layers in pyproject.toml
([tool.importlinter]). Templates depend on apps too: a ``{% load %}`` needs the app that owns
the tag library, an ``{% include %}`` or ``{% extends %}`` needs the app whose folder holds
the template. Here the same layers apply to the template folders, with the exceptions
docs/architecture.md describes ("Import direction"). Links by URL name (``{% url %}``) are
navigation and go in every direction: they are not checked.
"""

import re
import tomllib
from pathlib import Path

from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
LAYERS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][
    0
]["layers"]
# The template folders owned by an app; the others (components/, the error pages, base.html)
# belong to the whole site and may use any app.
FOLDER_APP = {
    "courses": "courses",
    "blocks": "courses",  # the templates of courses/blocks.py
    "learning": "learning",
    "catalogue": "catalogue",
    "certificates": "certificates",
}
# Arrows against the layers, each with its reason. Each must still be in use (see below).
EXCEPTIONS = {
    ("courses", "learning"): "course pages show the learner's progress and the exercise "
    "forms (learning_tags; learning/exercise.html, learning/h5p_exercise.html)",
    ("courses", "catalogue"): "a module page and a finished lesson show next steps "
    "(next_steps_tags)",
}

LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def _loaded_libraries(text: str) -> set[str]:
    names = set()
    for found in LOAD.findall(text):
        words = found.split()
        # {% load tag from library %} names the library last.
        names.update(words[-1:] if "from" in words else words)
    return names


def template_arrows() -> dict[tuple[str, str], list[str]]:
    """{(app of the template, app it needs): ["path: why", ...]} over the template tree."""
    library_app = {name: module.split(".")[0] for name, module in get_installed_libraries().items()}
    arrows = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        source = FOLDER_APP.get(relative.parts[0])
        if source is None:
            continue
        text = path.read_text()
        needs = [(library_app.get(name), f"loads {name}") for name in _loaded_libraries(text)]
        needs += [
            (FOLDER_APP.get(name.split("/")[0]), f"includes {name}")
            for name in INCLUDE.findall(text)
        ]
        for target, why in needs:
            if target in LAYERS and target != source:
                arrows.setdefault((source, target), []).append(f"{relative}: {why}")
    return arrows


def test_templates_follow_the_layers():
    upward = {
        arrow: where
        for arrow, where in template_arrows().items()
        if LAYERS.index(arrow[1]) < LAYERS.index(arrow[0]) and arrow not in EXCEPTIONS
    }
    assert not upward, (
        "A template needs an app above its own (see docs/architecture.md, Import direction): "
        f"{upward}"
    )


def test_every_exception_is_still_needed():
    arrows = template_arrows()
    assert not [arrow for arrow in EXCEPTIONS if arrow not in arrows], (
        "Remove the exception from EXCEPTIONS and from docs/architecture.md"
    )


def test_the_layers_are_the_apps():
    assert set(FOLDER_APP.values()) <= set(LAYERS)
