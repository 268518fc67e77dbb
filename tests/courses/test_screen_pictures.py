"""Screen pictures: plain SVG drawings only, stored once from the demo sources, shown with
their alternative text; and the date a module's facts were checked."""

import datetime
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model

from courses import demo
from courses.models import LessonPage, ModulePage
from courses.roles import TRAINER, roles_ensure
from courses.svg import svg_problems
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="360" height="640" viewBox="0 0 360 640">
<title>Het scherm met de knop Aanmelden</title>
<defs><linearGradient id="g"><stop offset="0" stop-color="#0b5cad"/></linearGradient></defs>
<rect width="360" height="640" fill="#fff"/>
<rect x="40" y="500" width="280" height="60" fill="url(#g)"/>
<text x="180" y="540" font-size="22" fill="#fff" text-anchor="middle">Aanmelden</text>
</svg>"""
OPEN = b'<svg xmlns="http://www.w3.org/2000/svg">'
MODULE = """slug = "test-scherm"
title = "Een scherm"
theme = "government"
competences = ["2.3"]
level = 1
minutes = 10
facts_checked = 2026-12-04
summary = "Je ziet een scherm."
outcomes = ["Je vindt de knop."]

[[lessons]]
slug = "test-scherm-les"
title = "De knop"
intro = "Je zoekt de knop."

[[lessons.steps]]
title = "Het scherm"

[[lessons.steps.body]]
type = "text"
text = "Onderaan staat de knop Aanmelden."

[[lessons.steps.body]]
type = "image"
file = "screens/scherm.svg"
alt = "Een telefoon. Onderaan staat de blauwe knop Aanmelden."
caption = "Zo ziet het scherm er ongeveer uit."

[[lessons.steps.body]]
type = "true_false"
question = "De knop Aanmelden staat onderaan."
is_true = true
feedback_correct = "Juist. De knop staat onderaan."
feedback_wrong = "Kijk nog eens. De knop staat onderaan."
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="steel()"/>', "onload"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.be/a.png"/></svg>',
            "buiten",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "foreignobject"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css)</style></svg>',
            "buiten",
        ),
        (b'<!DOCTYPE svg [<!ENTITY lol "lol">]><svg>&lol;</svg>', "ENTITY"),
        (b"geen xml", "geen geldige SVG"),
        (b"<html/>", "geen SVG-tekening"),
    ],
)
def test_only_plain_drawings_pass(content, expected):
    problems = svg_problems(content)
    assert problems and expected in problems[0]


def test_a_plain_drawing_with_local_references_passes():
    assert svg_problems(SVG) == []


def test_the_admin_refuses_an_svg_with_a_script_and_keeps_a_plain_one(client, site_tree):
    roles_ensure(tree_root=site_tree[0])
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name=TRAINER))
    client.force_login(trainer)
    bad = SimpleUploadedFile(
        "scherm.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "image/svg+xml"
    )
    response = client.post("/admin/images/add/", {"title": "Slecht", "file": bad})
    assert response.status_code == 200
    assert "(een script). Alleen een tekening mag." in response.content.decode()
    assert not get_image_model().objects.exists()
    good = SimpleUploadedFile("scherm.svg", SVG, "image/svg+xml")
    response = client.post("/admin/images/add/", {"title": "Goed", "file": good})
    assert response.status_code == 302
    assert get_image_model().objects.get().is_svg()


@pytest.fixture
def source_folder(tmp_path):
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "scherm.svg").write_bytes(SVG)
    (tmp_path / "01_scherm.toml").write_text(MODULE, encoding="utf-8")
    return tmp_path


def test_a_demo_picture_is_stored_once_and_shown_with_its_alternative_text(
    client, site_tree, source_folder
):
    _home, index = site_tree
    (source,) = demo.module_sources(source_folder)
    demo.module_check(source)  # --check: without writing, the picture is not stored
    assert not get_image_model().objects.exists()
    module = demo.module_load(source, index)
    assert module.facts_checked == datetime.date(2026, 12, 4)
    image = get_image_model().objects.get()
    assert image.title == "screens/scherm.svg" and image.is_svg()
    lesson = LessonPage.objects.get(slug="test-scherm-les")
    page = client.get(lesson.url).content.decode()
    assert 'alt="Een telefoon. Onderaan staat de blauwe knop Aanmelden."' in page
    assert ".svg" in page and "Zo ziet het scherm er ongeveer uit." in page
    assert "informatie gecontroleerd op 4 december 2026" in client.get(module.url).content.decode()
    # Loaded again (the module removed by hand first): the picture is not stored twice.
    ModulePage.objects.get(pk=module.pk).delete()
    demo.module_load(source, index)
    assert get_image_model().objects.count() == 1


def test_a_demo_picture_that_is_missing_or_unsafe_stops_the_seed(site_tree, source_folder):
    _home, index = site_tree
    (source,) = demo.module_sources(source_folder)
    shutil.copyfile(source_folder / "screens" / "scherm.svg", source_folder / "keep.svg")
    (source_folder / "screens" / "scherm.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    )
    with pytest.raises(demo.DemoContentError, match="script"):
        demo.module_load(source, index)
    (source_folder / "screens" / "scherm.svg").unlink()
    with pytest.raises(demo.DemoContentError, match="bestaat niet"):
        demo.module_load(source, index)
    assert not ModulePage.objects.filter(slug="test-scherm").exists()


def test_a_picture_without_alternative_text_is_refused(source_folder):
    (source_folder / "01_scherm.toml").write_text(
        MODULE.replace('alt = "Een telefoon. Onderaan staat de blauwe knop Aanmelden."\n', ""),
        encoding="utf-8",
    )
    (source,) = demo.module_sources(source_folder)
    with pytest.raises(demo.DemoContentError, match="mist alt"):
        demo.module_check(source)
