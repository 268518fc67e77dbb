"""'Lees voor' on a lesson step: speech in Dutch sentence by sentence, or the author's recording.

Headless Chromium has speechSynthesis but no voices and no sound, so a fake replaces it in
an init script: it records every utterance (text, lang, voice) and ends one only when the
test says so (``window.__finishUtterance()``), which makes "while speaking" observable.
"""

import json

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.journeys.helpers import run_axe, size_problems
from tests.journeys.test_keyboard_and_reflow import assert_focus_visible, tab_to

pytestmark = pytest.mark.browser
LESSON = "/modules/je-eid-kaartlezer-en-pincode/wat-heb-je-nodig/"
STEP = LESSON + "stap-2/"  # "Een kaartlezer": text with bold words, then a tip
INSTRUCTIONS_STEP = LESSON + "stap-3/"  # "De eID-software": text, numbered steps, warning
EXERCISE_STEP = LESSON + "stap-4/"

FAKE_SPEECH = """
(() => {
  const voices = __VOICES__;
  const spoken = [];
  let current = null;
  window.__spoken = spoken;
  window.__cancels = 0;
  const later = (fn) => setTimeout(fn, 0);
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text; this.lang = ''; this.voice = null;
    this.onstart = null; this.onend = null; this.onerror = null;
  };
  const synth = {
    speaking: false, pending: false, paused: false,
    getVoices() { return voices; },
    speak(utterance) {
      spoken.push({
        text: utterance.text, lang: utterance.lang,
        voice: utterance.voice ? utterance.voice.name : null,
      });
      current = utterance;
      this.speaking = true;
      later(() => utterance.onstart && utterance.onstart({utterance}));
    },
    cancel() {
      window.__cancels += 1;
      const was = current;
      current = null;
      this.speaking = false;
      // Chrome reports a cancelled utterance as an error "interrupted".
      if (was) later(() => was.onerror && was.onerror({utterance: was, error: 'interrupted'}));
    },
    pause() {}, resume() {},
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.__finishUtterance = () => {
    const was = current;
    current = null;
    synth.speaking = false;
    if (was) later(() => was.onend && was.onend({utterance: was}));
  };
})();
"""

NO_SPEECH = """
delete window.speechSynthesis;
delete window.SpeechSynthesisUtterance;
if ('speechSynthesis' in window) {
  Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true});
}
"""

# HTMLMediaElement.play() without a real sound file: records the call, as a browser would
# report it (paused false, a "play" event).
FAKE_PLAY = """
(() => {
  window.__played = [];
  const paused = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'paused');
  HTMLMediaElement.prototype.play = function () {
    window.__played.push(this.getAttribute('src'));
    this.__playing = true;
    this.dispatchEvent(new Event('play'));
    return Promise.resolve();
  };
  HTMLMediaElement.prototype.pause = function () {
    if (!this.__playing) return;
    this.__playing = false;
    this.dispatchEvent(new Event('pause'));
  };
  Object.defineProperty(HTMLMediaElement.prototype, 'paused', {
    configurable: true,
    get() { return this.__playing === undefined ? paused.get.call(this) : !this.__playing; },
  });
})();
"""

DUTCH_VOICES = [
    {"name": "English", "lang": "en-US", "default": True, "localService": True, "voiceURI": "en"},
    {
        "name": "Nederlands",
        "lang": "nl-NL",
        "default": False,
        "localService": True,
        "voiceURI": "nl",
    },
    {"name": "Vlaams", "lang": "nl-BE", "default": False, "localService": True, "voiceURI": "be"},
]

CURRENT_TEXT = """
() => [...document.querySelectorAll('.read-aloud-current')].map((el) => el.textContent).join('')
"""


IN_VIEW = """
() => {
  const el = document.querySelector('.read-aloud-current');
  const box = el.getBoundingClientRect();
  return {
    text: el.textContent, scrollY: window.scrollY,
    inside: box.top >= 0 && box.bottom <= window.innerHeight,
  };
}
"""


def fake_speech(page, voices=()):
    page.context.add_init_script(script=FAKE_SPEECH.replace("__VOICES__", json.dumps(voices)))


def spoken(page):
    return page.evaluate("window.__spoken")


def read_aloud_button(page):
    return page.locator("button[data-read-aloud]")


def wait_for_utterances(page, count):
    page.wait_for_function("(n) => window.__spoken.length >= n", arg=count)


def test_reads_the_step_sentence_by_sentence_and_stop_puts_the_text_back(live_server, page_with_js):
    page = page_with_js
    fake_speech(page)  # no voices at all, as in headless Chromium
    page.goto(live_server.url + STEP)
    step = page.locator("section.step")
    before = step.inner_html()
    button = read_aloud_button(page)
    expect(button).to_be_visible()
    expect(button).to_have_text("Lees voor")

    button.click()
    wait_for_utterances(page, 1)
    expect(button).to_have_text("Stop")
    assert spoken(page) == [{"text": "Een kaartlezer", "lang": "nl-BE", "voice": None}]
    assert page.evaluate(CURRENT_TEXT) == "Een kaartlezer"

    page.evaluate("window.__finishUtterance()")
    wait_for_utterances(page, 2)
    # The sentence crosses the bold "kaartlezer": one sentence, highlighted in three parts
    # (before, inside and after the <b>).
    assert spoken(page)[1]["text"] == "Een kaartlezer is een klein toestel."
    assert page.evaluate(CURRENT_TEXT) == "Een kaartlezer is een klein toestel."
    assert page.locator(".read-aloud-current").count() == 3
    assert page.locator("h2 .read-aloud-current").count() == 0, "the title is no longer marked"

    # Read on to the end of the tip: everything readable, in order, and nothing else.
    for count in range(3, 11):
        page.evaluate("window.__finishUtterance()")
        wait_for_utterances(page, count)
    assert [item["text"] for item in spoken(page)] == [
        "Een kaartlezer",
        "Een kaartlezer is een klein toestel.",
        "Je steekt je eID in de kaartlezer.",
        "De kaartlezer leest de chip op je kaart.",
        "Je verbindt de kaartlezer met je computer.",
        "Dat doe je met de kabel van de kaartlezer.",
        "Tip Je koopt een kaartlezer in een winkel met computers.",
        "Twijfel je welke?",
        "Vraag het aan een digihelper in het Digipunt.",
        # The screen picture's caption; not its "Bekijk de afbeelding groter" link.
        "Zo steek je je eID in de kaartlezer.",
    ]
    assert {item["lang"] for item in spoken(page)} == {"nl-BE"}

    button.click()  # Stop
    expect(button).to_have_text("Lees voor")
    assert page.evaluate("window.__cancels") >= 1
    assert page.locator(".read-aloud-current, .read-aloud-sentence").count() == 0
    assert step.inner_html() == before, "stopping leaves the step as it was"

    # After the last sentence the button is "Lees voor" again, and the text as it was.
    button.click()
    wait_for_utterances(page, 11)
    for count in range(12, 21):
        page.evaluate("window.__finishUtterance()")
        wait_for_utterances(page, count)
    page.evaluate("window.__finishUtterance()")
    expect(button).to_have_text("Lees voor")
    assert step.inner_html() == before


def test_escape_and_leaving_the_page_stop_reading(live_server, page_with_js):
    page = page_with_js
    fake_speech(page)
    page.goto(live_server.url + INSTRUCTIONS_STEP)
    button = read_aloud_button(page)
    button.click()
    wait_for_utterances(page, 1)
    page.keyboard.press("Escape")
    expect(button).to_have_text("Lees voor")
    assert page.locator(".read-aloud-sentence").count() == 0

    # With the keyboard: Tab to the button (focus visible all the way), Enter starts,
    # Space stops.
    page.goto(live_server.url + INSTRUCTIONS_STEP)
    tab_to(page, "Lees voor", role="button")
    page.keyboard.press("Enter")
    wait_for_utterances(page, 1)  # a new page: the fake starts again
    expect(button).to_have_text("Stop")
    assert_focus_visible(page, "on Stop")
    page.keyboard.press("Space")
    expect(button).to_have_text("Lees voor")

    button.click()
    wait_for_utterances(page, 2)
    cancels = page.evaluate("window.__cancels")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert page.evaluate("window.__cancels") > cancels
    assert page.locator(".read-aloud-sentence").count() == 0


def test_instructions_warning_and_exercise_are_read_but_not_the_controls(live_server, page_with_js):
    page = page_with_js
    fake_speech(page)
    # Reduced motion: the page jumps to the sentence at once instead of scrolling smoothly.
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + INSTRUCTIONS_STEP)
    read_aloud_button(page).click()
    wait_for_utterances(page, 1)
    scrolled = 0
    while page.locator(".read-aloud-sentence").count():
        view = page.evaluate(IN_VIEW)
        assert view["inside"], f"{view['text']!r} is read outside the screen"
        scrolled = max(scrolled, view["scrollY"])
        count = len(spoken(page))
        page.evaluate("window.__finishUtterance()")
        page.wait_for_function(
            "(n) => window.__spoken.length > n || !document.querySelector('.read-aloud-sentence')",
            arg=count,
        )
    assert scrolled > 0, "the step is longer than the screen, so reading scrolled down"
    texts = [item["text"] for item in spoken(page)]
    assert "Zo installeer je de eID-software:" in texts
    assert "Ga naar de website eid.belgium.be." in texts, "a web address does not end a sentence"
    # The warning's last sentence, then the screen picture's caption at the end of the step.
    assert texts[-2:] == ["Dan is het oplichting.", "Zo ziet de website er ongeveer uit."]
    assert texts.index("Volg de stappen op het scherm.") < texts.index(
        "Let op Download de eID-software alleen van eid.belgium.be."
    )

    page.goto(live_server.url + EXERCISE_STEP)
    read_aloud_button(page).click()
    wait_for_utterances(page, 1)
    all_text = page.evaluate(
        "[...document.querySelectorAll('.read-aloud-sentence')].map((el) => el.textContent)"
    )
    joined = " ".join(all_text)
    assert "Wat heb je nodig?" in joined  # the question (legend)
    assert "Een printer" in all_text  # an answer option
    assert "Controleer mijn antwoord" not in joined, "buttons are not read"
    assert "Lees voor" not in joined


# Marked words (the glossary) may be links or buttons inside a sentence, with a hidden
# explanation next to them: the word is read as part of its sentence, the hidden text not.
MARKED_WORDS = """
() => {
  const p = document.createElement('p');
  p.innerHTML = 'Je hebt een <a href="#">pincode</a> en een <button type="button">kaartlezer'
    + '</button> nodig.<span hidden> Verborgen uitleg.</span> <span aria-hidden="true">*</span>'
    + '<details><summary>Meer</summary>Niet open.</details>';
  document.querySelector('.step .text').appendChild(p);
  return document.querySelector('.step').innerHTML;
}
"""


def test_words_marked_inside_a_sentence_are_read_hidden_text_is_not(live_server, page_with_js):
    page = page_with_js
    fake_speech(page)
    page.goto(live_server.url + STEP)
    before = page.evaluate(MARKED_WORDS)
    read_aloud_button(page).click()
    wait_for_utterances(page, 1)
    texts = page.evaluate(
        "[...document.querySelectorAll('[data-sentence]')].map((el) => el.textContent)"
    )
    joined = "|".join(texts)
    assert "kaartlezer" in texts and "pincode" in texts, texts
    assert "Verborgen" not in joined and "Niet open" not in joined and "*" not in joined
    sentence = page.evaluate(
        """() => {
          const word = [...document.querySelectorAll('button [data-sentence]')][0];
          const n = word.dataset.sentence;
          return [...document.querySelectorAll(`[data-sentence="${n}"]`)]
            .map((el) => el.textContent).join('');
        }"""
    )
    assert sentence == "Je hebt een pincode en een kaartlezer nodig."
    # And that is what is spoken, when reading gets there.
    while sentence not in [item["text"] for item in spoken(page)]:
        count = len(spoken(page))
        assert count < 20, spoken(page)
        page.evaluate("window.__finishUtterance()")
        wait_for_utterances(page, count + 1)
    page.keyboard.press("Escape")
    assert page.locator("section.step").inner_html() == before


def test_a_dutch_voice_is_chosen_when_the_browser_has_one(live_server, page_with_js):
    page = page_with_js
    fake_speech(page, DUTCH_VOICES)
    page.goto(live_server.url + STEP)
    read_aloud_button(page).click()
    wait_for_utterances(page, 1)
    assert spoken(page)[0] == {"text": "Een kaartlezer", "lang": "nl-BE", "voice": "Vlaams"}


def test_any_dutch_voice_when_there_is_no_flemish_one(browser, live_server, demo_site):
    from tests.journeys.conftest import new_context

    context = new_context(browser)
    page = context.new_page()
    try:
        voices = [DUTCH_VOICES[0], {**DUTCH_VOICES[1], "lang": "nl_NL"}]  # Android writes nl_NL
        fake_speech(page, voices)
        page.goto(live_server.url + STEP)
        read_aloud_button(page).click()
        wait_for_utterances(page, 1)
        assert spoken(page)[0]["voice"] == "Nederlands"
    finally:
        context.close()


def test_no_button_without_speech_synthesis(live_server, page_with_js):
    page = page_with_js
    page.context.add_init_script(script=NO_SPEECH)
    page.goto(live_server.url + STEP)
    assert page.evaluate("Boolean(window.speechSynthesis)") is False
    assert page.evaluate("typeof window.DigibankReadAloud") == "object", "the script did run"
    expect(read_aloud_button(page)).to_be_hidden()


def test_no_button_without_javascript(live_server, page_without_js):
    page = page_without_js
    page.goto(live_server.url + STEP)
    assert read_aloud_button(page).count() == 1
    expect(read_aloud_button(page)).to_be_hidden()


@pytest.fixture
def recorded_step(demo_site):
    """Step 2 of the first lesson gets an audio block marked as its spoken version."""
    document = wagtail_factories.DocumentFactory(
        title="Een kaartlezer, voorgelezen",
        file=ContentFile(b"ID3 not really sound", name="kaartlezer.mp3"),
    )
    lesson = LessonPage.objects.get(slug="wat-heb-je-nodig")
    data = lesson.steps.get_prep_value()
    data[1]["value"]["body"].append(
        {
            "type": "audio",
            "value": {
                "audio": document.pk,
                "title": "Luister naar deze stap",
                "transcript": "Een kaartlezer is een klein toestel.",
                "read_aloud": True,
            },
        }
    )
    lesson.steps = data
    lesson.save()
    return document


def test_the_author_recording_is_played_instead_of_speech(live_server, page_with_js, recorded_step):
    page = page_with_js
    fake_speech(page, DUTCH_VOICES)
    page.context.add_init_script(script=FAKE_PLAY)
    page.goto(live_server.url + STEP)
    button = read_aloud_button(page)
    recording = page.locator("audio[data-read-aloud-recording]")
    expect(recording).to_have_count(1)
    src = recording.get_attribute("src")

    button.click()
    expect(button).to_have_text("Stop")
    assert page.evaluate("window.__played") == [src]
    assert recording.evaluate("(audio) => audio.paused") is False
    assert spoken(page) == [], "no computer voice over the recording"

    button.click()
    expect(button).to_have_text("Lees voor")
    assert recording.evaluate("(audio) => audio.paused") is True

    button.click()
    expect(button).to_have_text("Stop")
    recording.evaluate("(audio) => audio.dispatchEvent(new Event('ended'))")
    expect(button).to_have_text("Lees voor")


def test_recording_shows_the_button_even_without_speech(live_server, page_with_js, recorded_step):
    page = page_with_js
    page.context.add_init_script(script=NO_SPEECH)
    page.context.add_init_script(script=FAKE_PLAY)
    page.goto(live_server.url + STEP)
    read_aloud_button(page).click()
    assert len(page.evaluate("window.__played")) == 1


def test_other_audio_is_not_the_spoken_version(live_server, page_with_js, recorded_step):
    lesson = LessonPage.objects.get(slug="wat-heb-je-nodig")
    data = lesson.steps.get_prep_value()
    data[1]["value"]["body"][-1]["value"]["read_aloud"] = False
    lesson.steps = data
    lesson.save()
    page = page_with_js
    fake_speech(page)
    page.context.add_init_script(script=FAKE_PLAY)
    page.goto(live_server.url + STEP)
    read_aloud_button(page).click()
    wait_for_utterances(page, 1)
    assert page.evaluate("window.__played") == []


SPLIT = "(text) => window.DigibankReadAloud.splitSentences(text).map((s) => s.text)"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Open de app. Tik op Volgende.", ["Open de app.", "Tik op Volgende."]),
        (
            "Neem iets mee, bv. je eID. Of bijv. je gsm, enz. Klaar!",
            ["Neem iets mee, bv. je eID.", "Of bijv. je gsm, enz. Klaar!"],
        ),
        ("Lukt het? Ja! Goed zo…  Verder.", ["Lukt het?", "Ja!", "Goed zo…", "Verder."]),
        (
            "Ga naar eid.belgium.be. Kies versie 2.0 of hoger.",
            ["Ga naar eid.belgium.be.", "Kies versie 2.0 of hoger."],
        ),
        (
            "Vraag het aan dhr. Peeters of J. Janssens. Zij helpen.",
            ["Vraag het aan dhr. Peeters of J. Janssens.", "Zij helpen."],
        ),
        ('Hij zei: "Stop." Dan ging hij weg.', ['Hij zei: "Stop."', "Dan ging hij weg."]),
        (
            "Je hebt o.a. een kaartlezer nodig, d.w.z. een toestel",
            ["Je hebt o.a. een kaartlezer nodig, d.w.z. een toestel"],
        ),
        ("Tip\n  Schrijf het op.\n", ["Tip\n  Schrijf het op."]),
        ("  ", []),
        ("Dat is alles, enz.", ["Dat is alles, enz."]),
        ("Neem je gsm. Bel Max. Klaar.", ["Neem je gsm.", "Bel Max.", "Klaar."]),
        (
            "Zie blz. 4 (bv. de tabel). Nr. 2 is juist.",
            ["Zie blz. 4 (bv. de tabel).", "Nr. 2 is juist."],
        ),
    ],
)
def test_sentence_splitting(live_server, page_with_js, text, sentences):
    page = page_with_js
    page.goto(live_server.url + STEP)
    assert page.evaluate(SPLIT, text) == sentences


def test_axe_with_the_button_and_while_reading(live_server, page_for_axe, axe_source):
    page = page_for_axe
    fake_speech(page)
    for path in (STEP, EXERCISE_STEP):
        page.goto(live_server.url + path)
        expect(read_aloud_button(page)).to_be_visible()
        assert run_axe(page, axe_source) == [], path
        sizes = size_problems(page)
        assert sizes == {"small": [], "tiny": []}, path
        read_aloud_button(page).click()
        page.wait_for_function("window.__spoken.length >= 1")
        page.evaluate("window.__finishUtterance()")
        page.wait_for_function("window.__spoken.length >= 2")
        assert page.locator(".read-aloud-current").count() >= 1
        assert run_axe(page, axe_source) == [], f"{path} while reading"
    # High contrast and the largest text: the highlight stays, and still no violations.
    page.context.add_cookies(
        [{"name": "weergave", "value": "extra-groot,hoog", "url": live_server.url}]
    )
    page.goto(live_server.url + STEP)
    read_aloud_button(page).click()
    page.wait_for_function("window.__spoken.length >= 1")
    assert "contrast-hoog" in page.locator("html").get_attribute("class")
    highlight = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.read-aloud-current'));"
        " return [s.backgroundColor, s.textDecorationLine, s.outlineStyle]; })()"
    )
    assert highlight == ["rgb(255, 255, 0)", "underline", "solid"]
    assert run_axe(page, axe_source) == [], "high contrast while reading"
