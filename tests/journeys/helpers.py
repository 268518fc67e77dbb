"""What a learner does in a lesson, in terms of clicks; answers come from the lesson itself."""

import re
from urllib.parse import urljoin

from courses.models import LessonPage

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def next_step(page):
    """Click "Volgende" and wait for the next step to load. Looking at the page straight after
    the click can still see the old step and then wait for a "Volgende" link the exercise step
    does not have (a CI failure on 4 December 2026)."""
    link = page.get_by_role("link", name="Volgende", exact=True)
    target = urljoin(page.url, link.get_attribute("href"))
    link.click()
    page.wait_for_url(lambda url: url == target)


def next_exercise(page):
    """Go on with "Volgende" until the page shows an exercise; returns that exercise."""
    while exercise_on(page) is None:
        next_step(page)
    return exercise_on(page)


def exercise_on(page):
    """The exercise block shown on this page, looked up by the form's hidden fields."""
    form = page.locator("form[data-exercise]")
    if form.count() == 0:
        return None
    lesson = LessonPage.objects.get(pk=int(form.locator("input[name=les]").input_value()))
    _step, exercise = lesson.find_exercise(form.locator("input[name=oefening]").input_value())
    return exercise


def choose(page, exercise, answer):
    form = page.locator("form[data-exercise]")
    if exercise.block_type == "ordering":
        selects = form.locator("select[name=antwoord]")
        for position, item in enumerate(answer):
            selects.nth(position).select_option(item)
        return
    for box in form.locator("input[type=checkbox][name=antwoord]").all():
        box.uncheck()
    for item in answer:
        form.locator(f"input[name=antwoord][value='{item}']").check()


def answer_and_check(page, exercise, answer):
    choose(page, exercise, answer)
    page.get_by_role("button", name="Controleer mijn antwoord").click()


def step_counter(page):
    text = page.locator(".step-count").inner_text()
    number, total = re.match(r"Stap (\d+) van (\d+)", text).groups()
    return int(number), int(total)


def run_axe(page, axe_source, include=None):
    """WCAG violations on the page; with ``include`` (a CSS selector) only in that part, e.g.
    our own content inside Wagtail's admin, whose chrome is Wagtail's to fix."""
    if include is not None:  # axe finds nothing wrong in an empty selection
        assert page.locator(include).count() >= 1, f"{include} is not on the page"
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async ([tags, include]) => await axe.run("
        "include ? {include: [include]} : document, {runOnly: {type: 'tag', values: tags}})",
        [WCAG_TAGS, include],
    )
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}x) "
        f"{violation['nodes'][0]['target']}"
        for violation in result["violations"]
    ]


SIZE_CHECK = """
() => {
  const small = [];
  const targets = document.querySelectorAll([
    'a', 'button', 'select', 'label.choice', 'summary',
    'input:not([type=hidden]):not([type=radio]):not([type=checkbox])',
  ].join(', '));
  for (const el of targets) {
    if (el.closest('p') && el.tagName === 'A') continue;  // inline links in a sentence: exempt
    if (el.classList.contains('glossary-term')) continue;  // a marked word: inline too
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;   // not rendered (skip link is moved)
    if (box.height < 44 || box.width < 44) {
      const name = el.textContent.trim().slice(0, 30);
      small.push(`${el.tagName} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  const tiny = [];
  for (const el of document.querySelectorAll('main p, main li, main legend, main label')) {
    if (el.closest('.badge') || el.classList.contains('badge')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) tiny.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${size}px`);
  }
  return {small, tiny};
}
"""


def size_problems(page):
    return page.evaluate(SIZE_CHECK)
