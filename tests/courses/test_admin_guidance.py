"""Staff find their way: "Begin hier", the guide, the Dutch tree, and what is not live yet."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Locale, Page

from courses import admin_guidance, services
from courses.blocks import OrderingBlock, SingleChoiceBlock, StepContentBlock
from courses.factories import LessonPageFactory, ModulePageFactory, steps
from courses.models import HomePage, LessonPage
from courses.roles import REVIEWER, TRAINER, roles_ensure
from learning.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(site_tree):
    roles_ensure(tree_root=site_tree[0])
    user = UserFactory(username="trainer")
    user.groups.add(Group.objects.get(name=TRAINER))
    return user


@pytest.fixture
def draft_module(module_index):
    """A module nobody published yet, with two lessons written under it."""
    module = ModulePageFactory(parent=module_index, title="Je bankapp", slug="je-bankapp")
    module.unpublish()
    lessons = [
        LessonPageFactory(parent=module, title=title, slug=slug, steps=steps(1, ("true_false",)))
        for title, slug in (("De app openen", "openen"), ("Betalen", "betalen"))
    ]
    for lesson in lessons:
        lesson.save_revision()
    return Page.objects.get(pk=module.pk).specific, lessons


def test_the_dashboard_opens_on_begin_hier_for_writers_only(client, trainer, module_index):
    client.force_login(trainer)
    page = client.get("/admin/").content.decode()
    assert "Begin hier" in page
    assert f"/admin/pages/add/courses/modulepage/{module_index.pk}/" in page
    assert 'href="/admin/gids/"' in page  # in the panel and in the Help menu
    # A partner editor or any other admin user who writes no pages: no such panel.
    other = UserFactory(username="partner")
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(other)
    page = client.get("/admin/").content.decode()
    assert "Begin hier" not in page and "/admin/gids/" not in page


def test_begin_hier_counts_what_waits_for_review(client, trainer, draft_module):
    module, lessons = draft_module
    client.force_login(trainer)
    assert "Niets van jou wacht op nakijken" in client.get("/admin/").content.decode()
    services.lessons_submit_with_module(module=module, user=trainer)
    assert "2 pagina's van jou wachten op nakijken" in client.get("/admin/").content.decode()


def test_the_guide_is_docs_authoring_without_raw_html(client, trainer, tmp_path, monkeypatch):
    client.force_login(trainer)
    page = client.get("/admin/gids/").content.decode()
    first_heading = admin_guidance.GUIDE.read_text().splitlines()[0].lstrip("# ")
    assert first_heading in page
    guide = tmp_path / "authoring.md"
    guide.write_text("# Gids\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    monkeypatch.setattr(admin_guidance, "GUIDE", guide)
    page = client.get("/admin/gids/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<table>" in page
    client.logout()
    assert client.get("/admin/gids/").status_code == 302  # to the admin's log-in


def test_at_the_top_of_the_tree_staff_see_the_dutch_home_only(client, trainer, site_tree):
    home = site_tree[0]
    french, _created = Locale.objects.get_or_create(language_code="fr")
    home.copy_for_translation(french)
    roles_ensure(tree_root=home)  # the trainer may work in both trees, as after seed_demo
    client.force_login(trainer)
    root = Page.get_first_root_node()
    page = client.get(f"/admin/pages/{root.pk}/").content.decode()
    homes = HomePage.objects.all()
    assert homes.count() == 2
    assert f"/admin/pages/{home.pk}/" in page
    assert f"/admin/pages/{homes.exclude(pk=home.pk).get().pk}/" not in page
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(f"/admin/pages/{root.pk}/").content.decode()
    assert f"/admin/pages/{homes.exclude(pk=home.pk).get().pk}/" in page


def test_a_lesson_under_an_unpublished_module_says_so(client, trainer, draft_module, lesson):
    module, lessons = draft_module
    client.force_login(trainer)
    page = client.get(f"/admin/pages/{lessons[0].pk}/edit/").content.decode()
    assert "De module &#x27;Je bankapp&#x27; is nog niet gepubliceerd" in page
    assert f"/admin/pages/{module.pk}/edit/" in page
    # Under a live module: no warning.
    assert (
        "nog niet gepubliceerd"
        not in client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    )


def test_a_module_goes_to_review_with_its_draft_lessons(client, trainer, draft_module):
    module, lessons = draft_module
    client.force_login(trainer)
    page = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert 'name="action-submit" value="met-lessen"' in page
    assert "Module en 2 lessen laten nakijken" in page
    submitted = services.lessons_submit_with_module(module=module, user=trainer)
    assert [lesson.pk for lesson in submitted] == [lesson.pk for lesson in lessons]
    assert all(LessonPage.objects.get(pk=lesson.pk).workflow_in_progress for lesson in lessons)
    # Already waiting: not submitted twice, and the button no longer offers them.
    assert services.lessons_submit_with_module(module=module, user=trainer) == []
    assert "laten nakijken" not in client.get(f"/admin/pages/{module.pk}/edit/").content.decode()


def test_a_reviewer_without_submit_rights_elsewhere_submits_nothing_there(draft_module, site_tree):
    module, _lessons = draft_module
    roles_ensure(tree_root=site_tree[0])
    outsider = UserFactory(username="buiten")
    assert services.lessons_submit_with_module(module=module, user=outsider) == []
    reviewer = UserFactory(username="reviewer")
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    assert len(services.lessons_submit_with_module(module=module, user=reviewer)) == 2


def test_new_blocks_start_with_the_items_they_need():
    """No "minimum number of items" error before the trainer typed anything."""
    assert len(StepContentBlock().get_default()) == StepContentBlock._meta_class.min_num
    assert len(SingleChoiceBlock().get_default()["options"]) == 2
    assert len(OrderingBlock().get_default()["items"]) == 3
    new_steps = LessonPage._meta.get_field("steps").get_default()
    assert [child.block_type for child in new_steps] == ["step"]
    assert new_steps[0].value["title"] is None and len(new_steps[0].value["body"]) == 1
