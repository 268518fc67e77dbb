"""The twelve real H5P packages (h5p.org examples) play in a lesson, in Chromium.

Copied from the shared read-only test data to a temporary folder, stored with the service
the admin upload uses, one lesson per package. One browser, one live server, one test
function for all of them, so the file stays well under two minutes.

Per package it measures what docs/h5p.md shows: accepted, renders (the content's main
element visible and not empty), the xAPI verbs seen after a scripted interaction, whether
the activity resumes after a reload (types that offer a state), and, for another learner
on a 320 px screen with extra-large text, whether it fits (zoomed, no sideways scrolling,
never cut off) and works with the keyboard alone. Multiple Choice and True/False are
answered right and must complete their lesson. The project's own content type is measured
beside the twelve.

``make h5p-report`` (H5P_REPORT=<file.json>, H5P_REAL_DIR=<folder>) writes the table to
``courses/h5p/measured.json``, which the admin reads.
"""

import contextlib
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from courses.demo import site_ensure
from courses.factories import LessonPageFactory, ModulePageFactory, h5p_step
from courses.h5p import fixtures, measured, services, validation
from learning.models import H5PUserData, LessonProgress, XapiStatement
from learning.services.h5p import PROGRESS_VERBS
from tests.journeys.test_h5p import close_quietly, tracked_context
from tests.shared_data import H5P_REAL, require

pytestmark = pytest.mark.browser
REAL = H5P_REAL
NAMES = sorted(path.name for path in REAL.glob("*.h5p")) if REAL.is_dir() else []
if os.environ.get("H5P_ONLY"):  # while writing a scripted interaction: only these files
    NAMES = [name for name in NAMES if name.removesuffix(".h5p") in os.environ["H5P_ONLY"]]
REPORT = os.environ.get("H5P_REPORT")
SHOTS = os.environ.get("H5P_SHOTS")
# These must be answered right and complete their lesson (when present in the folder).
MUST_COMPLETE = {"H5P.MultiChoice", "H5P.TrueFalse"}
# These must be played to their end and send their own result, which the exercise keeps
# (a try and a score), whether or not the scripted answers pass.
MUST_REPORT = {"H5P.QuestionSet", "H5P.SingleChoiceSet"}


@pytest.fixture
def real_lessons(transactional_db, tmp_path):
    require(bool(NAMES), REAL)
    _home, index = site_ensure()
    module = ModulePageFactory(parent=index, title="Echte H5P", slug="echte-h5p")
    lessons, refused = {}, {}
    for number, name in enumerate(NAMES, start=1):
        copy = tmp_path / name
        shutil.copyfile(REAL / name, copy)
        with copy.open("rb") as handle:
            try:
                package = services.package_store(file=handle)
            except services.PackageRefused as error:
                refused[name] = error.messages
                continue
        main = package.main_library.split(" ")[0]
        lessons[main] = LessonPageFactory(
            parent=module,
            title=package.title[:60],
            slug=f"echt-{number}",
            steps=[h5p_step(package, title="Oefening")],
        )
        lessons[main].package = package
    # The project's own content type (the demo module's "Een vreemde sms"), measured in
    # the same run so the whole table in docs/h5p.md comes from one script.
    own = services.package_store(file=io.BytesIO(fixtures.build_demo_package()))
    lessons["H5P.DigibankVraag"] = LessonPageFactory(
        parent=module, title=own.title[:60], slug="eigen", steps=[h5p_step(own, title="Oefening")]
    )
    lessons["H5P.DigibankVraag"].package = own
    return lessons, refused


RENDERED = """() => {
    const content = document.querySelector('.h5p-content');
    if (!content) { return {visible: false, text: 0, media: 0}; }
    const box = content.getBoundingClientRect();
    const images = [...content.querySelectorAll('img')]
        .filter(i => i.complete && i.naturalWidth > 0);
    return {
        visible: box.width > 0 && box.height > 20,
        text: content.innerText.trim().length,
        media: images.length + content.querySelectorAll('canvas, audio, video').length,
        state: typeof (window.H5P.instances[0] || {}).getCurrentState === 'function',
    };
}"""
LISTEN = """() => {
    window.seenVerbs = [];
    window.H5P.externalDispatcher.on('xAPI', (event) => {
        const parent = event.getVerifiedStatementValue(['context', 'contextActivities', 'parent']);
        window.seenVerbs.push(event.getVerb() + (parent ? ' (deel)' : ''));
    });
}"""
AUDIO_LOADS = """() => new Promise((resolve) => {
    const audio = document.querySelector('audio');
    if (!audio) { resolve('geen audio'); return; }
    if (audio.readyState >= 1) { resolve('ok'); return; }
    audio.addEventListener('loadedmetadata', () => resolve('ok'));
    audio.addEventListener('error', () => resolve('fout'));
    audio.preload = 'auto';
    audio.load();
    setTimeout(() => resolve('te traag'), 5000);
})"""


def click(frame, selector, *, text=None, nth=0):
    locator = frame.locator(selector)
    if text is not None:
        locator = locator.filter(has_text=text)
    try:
        locator.nth(nth).click(timeout=2000)
    except Exception as error:  # noqa: BLE001 - a missing control is a finding, printed
        if os.environ.get("H5P_ONLY"):
            print("click failed:", selector, str(error).splitlines()[0])


def check_button(frame):
    click(frame, "button.h5p-question-check-answer")


def answer_multichoice(frame):
    click(frame, ".h5p-answer", text="Very dark purple")
    check_button(frame)


def answer_truefalse(frame):
    click(frame, ".h5p-true-false-answer", text="Yes")
    check_button(frame)


def answer_blanks(frame):
    for field in frame.locator("input.h5p-text-input").all()[:12]:
        with contextlib.suppress(Exception):
            field.fill("x", timeout=1000)
            field.press("Tab", timeout=1000)
    check_button(frame)


def answer_dragtext(frame):
    with contextlib.suppress(Exception):
        frame.locator(".ui-draggable").first.drag_to(
            frame.locator(".h5p-drag-dropzone-container").first, timeout=3000
        )
    check_button(frame)


def answer_markthewords(frame):
    click(frame, "[role=option]", nth=1)
    check_button(frame)


def answer_singlechoiceset(frame):
    # Every question, then the set reports its own result ("completed" with a score).
    for _question in range(6):
        alternatives = frame.locator(".h5p-sc-current-slide .h5p-sc-alternative:visible")
        if alternatives.count() == 0:
            break
        click(frame, ".h5p-sc-current-slide .h5p-sc-alternative:visible", nth=0)
        frame.page.wait_for_timeout(1600)
    seen(frame, "completed")


QUESTIONSET_CURRENT = """() => {
    const dots = [...document.querySelectorAll('.questionset .progress-dot')];
    return dots.findIndex(dot => dot.classList.contains('current'));
}"""


def seen(frame, verb, seconds=6.0):
    """Wait until the content has sent ``verb`` itself (not one of its parts)."""
    for _tick in range(int(seconds * 10)):
        if verb in frame.evaluate("() => window.seenVerbs || []"):
            return True
        frame.page.wait_for_timeout(100)
    return False


def answer_questionset(frame):
    # Every question in turn: choose something where there is a choice, check, then go on;
    # "Finish" on the last one (shown once every question is answered) makes the set send
    # its own result ("completed" with a score), which is what counts (the questions' own
    # statements are parts, "deel"). Each move waits for the set's own "current question"
    # dot to change: its slide transition takes longer on a busy machine.
    for _question in range(24):
        finish = frame.locator(".questionset .h5p-question-finish:visible")
        if finish.count():
            click(frame, ".questionset .h5p-question-finish:visible")
            # Done when the set has said so; a click lost on a busy machine is tried again.
            if seen(frame, "completed"):
                return
            continue
        where = frame.evaluate(QUESTIONSET_CURRENT)
        current = frame.locator(".questionset .question-container").nth(max(where, 0))
        for option in (".h5p-true-false-answer", ".h5p-answer", "[role=option]"):
            if current.locator(option).count():
                click(current, option, nth=0)
                break
        click(current, ".h5p-question-check-answer:visible")
        with contextlib.suppress(Exception):
            current.locator(
                ".h5p-question-finish:visible, .h5p-question-next:visible"
            ).first.wait_for(timeout=3000)
        if current.locator(".h5p-question-finish:visible").count():
            continue  # the last question: "Finish" at the top of the loop
        click(current, ".h5p-question-next:visible")  # a link (href="#"), not a button
        for _tick in range(30):
            if frame.evaluate(QUESTIONSET_CURRENT) != where:
                break
            frame.page.wait_for_timeout(100)


def open_accordion(frame):
    click(frame, ".h5p-panel-title, .h5p-panel-button")


def turn_dialogcard(frame):
    click(frame, ".h5p-dialogcards-turn")


def move_agamotto(frame):
    with contextlib.suppress(Exception):
        frame.locator(".h5p-agamotto-slider-container, [role=slider]").first.press(
            "ArrowRight", timeout=2000
        )


def open_hotspot(frame):
    click(frame, ".h5p-image-hotspot")


def answer_own(frame):
    click(frame, ".h5p-digibank-vraag label", nth=0)
    click(frame, ".h5p-digibank-vraag button")


# With the keyboard only. Focus is put on the frame (as a Tab from the lesson page would),
# then Tab moves through the content until it reaches what the script needs, and a key
# works it. "ja" when the same thing happens as with the mouse: the question type sends
# its statement, the content type shows what the key asked for.
FOCUSED = """(selector) => {
    const active = document.activeElement;
    return !!(active && active !== document.body && active.matches(selector));
}"""


def tab_to(page, frame, selector, limit=30):
    for _press in range(limit):
        page.keyboard.press("Tab")
        if frame.evaluate(FOCUSED, selector):
            return True
    return False


def keys(page, frame, *moves):
    """Each move: (selector to Tab to, key or text to give it[, script that must then hold]).

    False when a selector is not reached or what the key should have done did not happen
    (so pressing "Check" with nothing chosen never passes for a working keyboard).
    """
    page.locator(".h5p-activity iframe").focus()
    for selector, key, *done in moves:
        if not tab_to(page, frame, selector):
            return False
        if key.startswith("type:"):
            page.keyboard.type(key.removeprefix("type:"))
        else:
            page.keyboard.press(key)
        page.wait_for_timeout(300)
        if done and not frame.evaluate(done[0]):
            return False
    return True


CHECK = ("button.h5p-question-check-answer", "Enter")


def sends(frame, *verbs):
    return any(seen(frame, verb, seconds=3.0) for verb in verbs)


def kb_question(option, chosen, *verbs):
    """Space on an answer (which must then be chosen), then Check: the type answers."""

    def run(page, frame):
        done = keys(page, frame, (option, "Space", f"() => !!document.querySelector('{chosen}')"))
        return done and keys(page, frame, CHECK) and sends(frame, *(verbs or ("answered",)))

    return run


def kb_dragtext(page, frame):
    return keys(
        page,
        frame,
        (".h5p-drag-draggable, [aria-grabbed]", "Space"),
        (
            ".h5p-drag-dropzone, [aria-dropeffect=move]",
            "Space",
            "() => !!document.querySelector('.h5p-drag-dropped')",
        ),
        CHECK,
    ) and sends(frame, "answered")


def kb_blanks(page, frame):
    # Every blank is filled on the way, then Check (with "autoCheck" the type checks by
    # itself once all are filled and shows no Check button).
    page.locator(".h5p-activity iframe").focus()
    filled = 0
    for _press in range(30):
        page.keyboard.press("Tab")
        if frame.evaluate(FOCUSED, "input.h5p-text-input"):
            if not frame.evaluate("() => document.activeElement.value"):
                page.keyboard.type("x")
                filled += 1
        elif frame.evaluate(FOCUSED, CHECK[0]):
            page.keyboard.press("Enter")
            break
    return filled > 0 and sends(frame, "answered")


def kb_singlechoiceset(page, frame):
    moves = ((".h5p-sc-current-slide .h5p-sc-alternative", "Space"),)
    return keys(page, frame, *moves) and sends(frame, "answered (deel)", "interacted")


def kb_questionset(page, frame):
    option = ".question-container [role=radio], .question-container [role=checkbox]"
    chosen = "() => !!document.querySelector('.question-container [aria-checked=true]')"
    return keys(page, frame, (option, "Space", chosen), CHECK) and sends(frame, "answered (deel)")


def kb_own(page, frame):
    return keys(
        page,
        frame,
        (".h5p-digibank-vraag input", "Space", "() => !!document.querySelector('input:checked')"),
        (".h5p-digibank-vraag button", "Enter"),
    ) and sends(frame, "answered")


def kb_shows(selector, key, effect):
    """A content type: the key on ``selector`` makes ``effect`` (a script) true."""

    def run(page, frame):
        if not keys(page, frame, (selector, key)):
            return False
        for _tick in range(20):
            if frame.evaluate(effect):
                return True
            page.wait_for_timeout(100)
        return False

    return run


KEYBOARD = {
    "H5P.MultiChoice": kb_question(".h5p-answer", ".h5p-answer[aria-checked=true]"),
    "H5P.TrueFalse": kb_question(
        ".h5p-true-false-answer", ".h5p-true-false-answer[aria-checked=true]"
    ),
    "H5P.Blanks": kb_blanks,
    "H5P.MarkTheWords": kb_question("[role=option]", "[role=option][aria-selected=true]"),
    "H5P.DragText": kb_dragtext,
    "H5P.SingleChoiceSet": kb_singlechoiceset,
    "H5P.QuestionSet": kb_questionset,
    "H5P.DigibankVraag": kb_own,
    "H5P.Accordion": kb_shows(
        ".h5p-panel-button, .h5p-panel-title",
        "Enter",
        "() => !!document.querySelector('.h5p-content [aria-expanded=true]')",
    ),
    "H5P.Dialogcards": kb_shows(
        ".h5p-dialogcards-turn",
        "Enter",
        "() => !!document.querySelector('.h5p-dialogcards-turned')",
    ),
    "H5P.Agamotto": kb_shows(
        "[role=slider]",
        "ArrowRight",
        "() => (document.querySelector('[role=slider]') || {}).getAttribute"
        "  && document.querySelector('[role=slider]').getAttribute('aria-valuenow') !== '0'",
    ),
    "H5P.ImageHotspots": kb_shows(
        ".h5p-image-hotspot",
        "Enter",
        "() => !!document.querySelector('.h5p-image-hotspot-popup')",
    ),
    "H5P.Audio": kb_shows(
        "button, audio",
        "Enter",
        "() => !!document.querySelector('audio') && !document.querySelector('audio').paused",
    ),
}

# "overflow" alone misses content cut off inside a box that hides its overflow (H5P's own
# containers do): "clipped" counts elements with text or media that end past the frame.
FITS = """() => {
    const width = document.documentElement.clientWidth;
    const clipped = [...document.querySelectorAll('.h5p-content *')].filter(el => {
        const box = el.getBoundingClientRect();
        const shows = el.children.length === 0 || el.matches('img, canvas, audio, video');
        return shows && box.width > 0 && (box.right > width + 1 || box.left < -1)
            && getComputedStyle(el).visibility !== 'hidden';
    });
    return {
        zoom: parseFloat(document.body.style.zoom) || 1,
        overflow: document.documentElement.scrollWidth - width,
        clipped: clipped.length,
        height: document.documentElement.scrollHeight,
    };
}"""
FRAME_BOX = """() => {
    const frame = document.querySelector('.h5p-activity iframe');
    return {
        height: frame.getBoundingClientRect().height,
        overflow: frame.closest('.h5p-activity').getBoundingClientRect().right - window.innerWidth,
    };
}"""


def small_and_keyboard(page, live_server, main, lesson):
    """320 px with extra-large text (a new learner, nothing answered yet), then the keyboard."""
    frame = open_lesson(page, live_server.url + lesson.step_url(1))
    # The frame reports its height when it changes (at most every 2 s): wait until it has.
    # The frame also zooms down a step at a time while content is cut off (h5p-frame.js).
    for _tick in range(80):
        inside, outside = frame.evaluate(FITS), page.evaluate(FRAME_BOX)
        settled = inside["height"] - outside["height"] <= 2
        if settled and (inside["clipped"] == 0 or inside["zoom"] <= 1):
            break
        page.wait_for_timeout(100)
    if SHOTS:
        page.locator(".h5p-activity iframe").screenshot(path=f"{SHOTS}/{main}-320-groot.png")
    rendered = frame.evaluate(RENDERED)
    fits = {
        "shows": bool(rendered["visible"] and (rendered["text"] or rendered["media"])),
        "zoom": round(inside["zoom"], 2),
        "frame_overflow": inside["overflow"],
        "clipped": inside["clipped"],
        "activity_overflow": max(0, round(outside["overflow"])),
        "cut_off": inside["height"] - outside["height"] > 2,
    }
    frame.evaluate(LISTEN)
    script = KEYBOARD.get(main)
    keyboard = "–" if script is None else ("ja" if script(page, frame) else "nee")
    small = (
        "ja"
        if fits["zoom"] > 1
        and not (fits["frame_overflow"] or fits["clipped"])
        and not (fits["activity_overflow"] or fits["cut_off"])
        else "nee"
    )
    return {"small_screen": small, "small_screen_measured": fits, "keyboard": keyboard}


INTERACTIONS = {
    "H5P.MultiChoice": answer_multichoice,
    "H5P.TrueFalse": answer_truefalse,
    "H5P.Blanks": answer_blanks,
    "H5P.DragText": answer_dragtext,
    "H5P.MarkTheWords": answer_markthewords,
    "H5P.SingleChoiceSet": answer_singlechoiceset,
    "H5P.QuestionSet": answer_questionset,
    "H5P.Accordion": open_accordion,
    "H5P.Dialogcards": turn_dialogcard,
    "H5P.Agamotto": move_agamotto,
    "H5P.ImageHotspots": open_hotspot,
    "H5P.DigibankVraag": answer_own,
}


def open_lesson(page, url):
    page.goto(url)
    page.locator("[data-h5p][data-h5p-ready=true]").wait_for(state="attached", timeout=15000)
    return next(frame for frame in page.frames if "/h5p/speler/" in frame.url)


def wait_for_state(package, seconds=4.0):
    for _tick in range(int(seconds * 10)):
        row = H5PUserData.objects.filter(package=package).first()
        if row is not None:
            return row
        time.sleep(0.1)
    return None


def stored_verbs(lesson, seen_verbs, seconds=6.0):
    """The verbs stored for the lesson, once the content's own statements have arrived.

    The browser posts each statement after the content sends it; on a busy machine the
    last one (the set's "completed") can still be on its way when the script is done.
    """
    own = set(seen_verbs) & PROGRESS_VERBS  # the parts' verbs carry " (deel)"
    for _tick in range(int(seconds * 10)):
        stored = set(XapiStatement.objects.filter(lesson=lesson).values_list("verb", flat=True))
        if own <= stored:
            break
        time.sleep(0.1)
    return sorted(stored)


def measure(page, live_server, main, lesson):
    url = live_server.url + lesson.step_url(1)
    row = {"type": main, "title": lesson.package.title, "accepted": True}
    try:
        frame = open_lesson(page, url)
    except Exception:  # noqa: BLE001 - a package that never starts is a finding, not a crash
        return {**row, "renders": False, "verbs": [], "resumes": "nee"}
    page.wait_for_timeout(300)
    rendered = frame.evaluate(RENDERED)
    row["renders"] = bool(rendered["visible"] and (rendered["text"] or rendered["media"]))
    if main == "H5P.Audio":
        row["audio"] = frame.evaluate(AUDIO_LOADS)
    if SHOTS:
        page.locator(".h5p-activity iframe").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/{main}.png")
    frame.evaluate(LISTEN)
    INTERACTIONS.get(main, lambda _frame: None)(frame)
    page.wait_for_timeout(700)
    row["verbs"] = sorted(set(frame.evaluate("() => window.seenVerbs")))
    row["stored"] = stored_verbs(lesson, row["verbs"])
    progress = LessonProgress.objects.filter(lesson=lesson).first()
    row["lesson_completed"] = bool(progress and progress.is_completed)
    # The H5P exercise's own record: passed by the type's answered/completed statement.
    row["exercise_passed"] = bool(
        progress and any(progress.exercise_passed(block) for block in progress.exercises)
    )
    # Only the activity's own statements (not its parts') set the exercise's score.
    states = list(progress.exercises.values()) if progress else []
    row["exercise_score"] = next((s["score"] for s in states if s.get("score") is not None), None)
    row["resumes"] = "n.v.t."
    if rendered["state"]:
        saved = wait_for_state(lesson.package)
        if saved is None:
            row["resumes"] = "geen stand"
        else:
            frame = open_lesson(page, url)
            page.wait_for_timeout(300)
            now = frame.evaluate("() => JSON.stringify(window.H5P.instances[0].getCurrentState())")
            row["resumes"] = "ja" if json.loads(now) == json.loads(saved.state) else "nee"
    return row


def staff_login(page, live_server):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("trainer", password="geheim-genoeg-123")
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def plays(page, url):
    """The page shows a sandboxed player whose content renders (a preview, nothing posted)."""
    page.goto(url)
    holder = page.locator("[data-h5p-preview][data-h5p-ready=true]").first
    holder.wait_for(state="attached", timeout=15000)
    assert holder.locator("iframe").get_attribute("sandbox") == "allow-scripts"
    frame = next(frame for frame in page.frames if "/h5p/speler/" in frame.url)
    return frame.evaluate(RENDERED)["text"] > 0


def try_it_first(page, live_server, lessons):
    """The trainer tries Multiple Choice in the admin and in the lesson editor's preview."""
    lesson = lessons.get("H5P.MultiChoice") or next(iter(lessons.values()))
    staff_login(page, live_server)
    before = XapiStatement.objects.count()
    admin = plays(
        page,
        f"{live_server.url}/admin/snippets/courses/h5ppackage/inspect/{lesson.package.pk}/",
    )
    if SHOTS:
        page.set_viewport_size({"width": 1024, "height": 900})
        page.wait_for_timeout(800)
        page.screenshot(path=f"{SHOTS}/admin-probeer.png", full_page=False)
        page.set_viewport_size({"width": 360, "height": 640})
    frame = next(frame for frame in page.frames if "/h5p/speler/" in frame.url)
    INTERACTIONS.get(lesson.package.main_library.split(" ")[0], lambda _f: None)(frame)
    page.wait_for_timeout(500)
    preview = plays(page, f"{live_server.url}/admin/pages/{lesson.pk}/view_draft/")
    return {
        "admin": admin,
        "lesson_preview": preview,
        "recorded": XapiStatement.objects.count() - before,
    }


def test_real_packages_play_and_count(browser, live_server, real_lessons):
    lessons, refused = real_lessons
    context = tracked_context(browser)
    page = context.new_page()
    results = [
        {"file": name, "accepted": False, "errors": messages} for name, messages in refused.items()
    ]
    for main, lesson in lessons.items():
        results.append(measure(page, live_server, main, lesson))
    previews = try_it_first(page, live_server, lessons)
    close_quietly(context)
    # Another learner, on a 320 px phone with extra-large text, who uses the keyboard.
    small = tracked_context(browser)
    small.add_cookies(
        [{"name": "weergave", "value": "extra-groot,normaal", "url": live_server.url}]
    )
    small_page = small.new_page()
    small_page.set_viewport_size({"width": 320, "height": 640})
    for row in results:
        if "type" in row and row.get("renders"):
            row.update(
                small_and_keyboard(small_page, live_server, row["type"], lessons[row["type"]])
            )
    close_quietly(small)
    print()
    print(measured.markdown({row.get("type", row.get("file")): row for row in results}))
    if REPORT:
        # Merged into what was measured before (other folders, the project's own type).
        report = Path(REPORT)
        table = json.loads(report.read_text()) if report.exists() else {}
        table.update({row.get("type", row.get("file")): row for row in results})
        report.write_text(json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        print(measured.markdown(table))
    by_type = {row["type"]: row for row in results if "type" in row}
    assert refused == {}, refused
    for main, row in by_type.items():
        print(
            main,
            "320 px, extra-large text:",
            row["small_screen_measured"],
            "keys:",
            row["keyboard"],
        )
    # Every type is zoomed with the text, reflows at 320 px and is never cut off, and does
    # with the keyboard alone what its script asks (chosen, checked, answered; opened).
    # Dialog Cards' own fixed card layout does not fit at 1.44: the frame zooms it down
    # until nothing is cut off (h5p-frame.js), which still counts as fitting.
    assert all(row["small_screen"] == "ja" for row in by_type.values()), by_type
    assert all(row["keyboard"] == "ja" for row in by_type.values() if row["type"] in KEYBOARD), (
        by_type
    )
    assert previews == {"admin": True, "lesson_preview": True, "recorded": 0}, previews
    assert all(row["renders"] for row in by_type.values()), by_type
    if "H5P.Audio" in by_type:  # loads from the opaque origin (CORS pre-check, Range)
        assert by_type["H5P.Audio"]["audio"] == "ok", by_type["H5P.Audio"]
    for main in MUST_COMPLETE & set(by_type):
        assert by_type[main]["lesson_completed"], by_type[main]
        assert by_type[main]["exercise_passed"], by_type[main]
        assert "answered" in by_type[main]["stored"], by_type[main]
    for main in MUST_REPORT & set(by_type):
        assert "completed" in by_type[main]["stored"], by_type[main]
        assert by_type[main]["exercise_score"] is not None, by_type[main]


def test_crafted_bad_packages_are_still_refused():
    for build in (
        fixtures.bad_zip_slip,
        fixtures.bad_symlink,
        fixtures.bad_php,
        fixtures.bad_zip_bomb,
    ):
        assert not validation.validate(io.BytesIO(build())).ok, build.__name__
