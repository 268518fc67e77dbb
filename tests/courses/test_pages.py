"""Tree rules, rendering and previews of every page type (Wagtail's page-test assertions)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.demo import site_ensure
from courses.factories import LessonPageFactory, ModulePageFactory, steps
from courses.models import HomePage, LessonPage, ModuleIndexPage, ModulePage


def lesson_form_data(title, slug):
    """The editor's form for a lesson with one step holding a tip."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "Korte les.",
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": "Uitleg",
                            "body": streamfield([("tip", {"text": "Neem je tijd."})]),
                        },
                    )
                ]
            ),
        }
    )


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = site_ensure()
        cls.module = ModulePageFactory(parent=cls.index, slug="je-eid")
        cls.lesson = LessonPageFactory(parent=cls.module, slug="je-pincode", steps=steps())

    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(ModuleIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ModulePage, {ModuleIndexPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})

    def test_allowed_children(self):
        self.assertAllowedSubpageTypes(HomePage, {ModuleIndexPage})
        self.assertAllowedSubpageTypes(ModuleIndexPage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_trainer_can_create_a_module_and_a_lesson(self):
        self.login()
        self.assertCanCreateAt(ModuleIndexPage, ModulePage)
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanCreate(
            self.module,
            LessonPage,
            lesson_form_data("Een nieuwe les", "een-nieuwe-les"),
        )

    def test_pages_render(self):
        for page in (self.home, self.index, self.module, self.lesson):
            self.assertPageIsRenderable(page)
        self.assertPageIsRenderable(self.lesson, route_path="/stap-3/")
        self.assertPageIsRenderable(self.lesson, route_path="/klaar/")

    def test_pages_preview(self):
        self.login()
        for page in (self.home, self.index, self.module):
            self.assertPageIsPreviewable(page)
        data = lesson_form_data(self.lesson.title, self.lesson.slug)
        self.assertPageIsPreviewable(self.lesson, mode="", post_data=data)
        self.assertPageIsPreviewable(self.lesson, mode="step", post_data=data)

    def test_step_addresses_outside_the_lesson_are_not_found(self):
        for suffix in (
            "stap-0/",
            "stap-4/",
            "stap-03/",
            "stap-x/",
            "stap-³/",
            "iets/",
            "stap-1/x/",
        ):
            response = self.client.get(self.lesson.url + suffix)
            self.assertEqual(response.status_code, 404, suffix)
            self.assertContains(response, "Deze pagina bestaat niet", status_code=404)

    def test_module_lists_its_lessons_in_order(self):
        second = LessonPageFactory(parent=self.module, title="Tweede les", steps=steps())
        response = self.client.get(self.module.url)
        content = response.content.decode()
        self.assertLess(content.index(self.lesson.title), content.index(second.title))


def test_page_titles_are_plain_text(client, db):
    """Every page's <title> holds text only (no markup slipped into a title block)."""
    import re

    from django.core.management import call_command

    from courses.models import LessonPage

    call_command("seed_demo", "--no-translations")
    lesson = LessonPage.objects.live().first()
    for url in ("/", "/modules/", lesson.url, lesson.step_url(2), lesson.finish_url(), "/mijn/"):
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and title.strip(), (url, title)
