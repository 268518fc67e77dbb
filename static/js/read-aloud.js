/* "Lees voor": reads a lesson step aloud in Dutch, one sentence at a time, and highlights
   the sentence being read. Progressive enhancement: the button is rendered `hidden` and
   shown only when the browser can speak (Web Speech API) or the step has an author
   recording (an audio block marked as the spoken version), which is then played instead.
   Sentences are wrapped in spans only while reading; stopping puts the text back as it was. */
(function () {
  "use strict";

  // Dutch abbreviations that end in a full stop but do not end a sentence (lower case,
  // without their final dot).
  var ABBREVIATIONS = [
    "bv", "bijv", "enz", "etc", "o.a", "d.w.z", "m.a.w", "i.p.v", "t.o.v", "e.d", "e.a",
    "z.o.z", "a.u.b", "s.v.p", "o.m", "m.b.t", "i.v.m", "n.a.v", "t.e.m", "t/m", "ca", "nr",
    "blz", "dhr", "mevr", "mr", "dr", "prof", "ir", "vb", "vgl", "incl", "excl", "evt",
    "ong", "zgn", "resp", "jl"
  ];
  // Not "gsm", "max" or "tel": they are also words (or a name) that end sentences.
  var ENDS = ".!?…";
  var CLOSERS = "\"'”’»)]";

  /* Split Dutch text into sentences. Returns [{start, end, text}] with offsets into `text`
     (end exclusive, trailing spaces left out). A full stop after a known abbreviation or
     a single letter (an initial, "J. Peeters") does not end a sentence; neither does one
     inside a word or number ("2.0", "www.mijnburgerprofiel.be"). */
  function splitSentences(text) {
    var sentences = [];
    var start = 0;
    var i = 0;
    function push(end) {
      var s = start;
      while (s < end && /\s/.test(text.charAt(s))) { s += 1; }
      var e = end;
      while (e > s && /\s/.test(text.charAt(e - 1))) { e -= 1; }
      if (e > s && /[0-9A-Za-zÀ-ÿ\u0100-\u024f]/.test(text.slice(s, e))) {
        sentences.push({ start: s, end: e, text: text.slice(s, e) });
      }
      start = end;
    }
    while (i < text.length) {
      var ch = text.charAt(i);
      if (ENDS.indexOf(ch) === -1) { i += 1; continue; }
      var end = i + 1;
      while (end < text.length && (ENDS.indexOf(text.charAt(end)) !== -1 ||
             CLOSERS.indexOf(text.charAt(end)) !== -1)) { end += 1; }
      var atEnd = end >= text.length;
      if (!atEnd && !/\s/.test(text.charAt(end))) { i = end; continue; }  // "2.0", "x.be"
      if (ch === "." && end === i + 1 && !atEnd && isAbbreviation(text, i)) { i = end; continue; }
      push(end);
      i = end;
    }
    push(text.length);
    return sentences;
  }

  function isAbbreviation(text, dot) {
    var from = dot;
    while (from > 0 && /[^\s("'“‘]/.test(text.charAt(from - 1))) { from -= 1; }
    var word = text.slice(from, dot).toLowerCase();
    if (/^[a-zà-ÿ]$/i.test(word)) { return true; }  // an initial
    return ABBREVIATIONS.indexOf(word) !== -1;
  }

  window.DigibankReadAloud = { splitSentences: splitSentences };

  // What is read: the step title, text, list items, instruction steps, tips, warnings,
  // captions, and of an exercise the question and the answer options. Not the button
  // itself, the audio transcript (it is what the recording says), the feedback, or the
  // drop-downs of an ordering exercise.
  var READABLE = "h2, h3, p, li, legend, figcaption, dt, dd, .choice > span";
  var SKIP = "button, select, details, [data-feedback], .order-place, [data-read-aloud], " +
             "[hidden], [aria-hidden=true]";
  // Text not read inside a readable block: hidden text (a closed explanation, for
  // example), controls that are not words, and the content of a closed <details>.
  var SKIP_TEXT = "select, option, script, style, svg, [hidden], [aria-hidden=true], [data-read-aloud]";
  var SENTENCE = "read-aloud-sentence";
  var CURRENT = "read-aloud-current";

  function readableBlocks(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll(READABLE));
    return found.filter(function (el) {
      if (el.closest(SKIP)) { return false; }
      // Only the innermost: a list item with a paragraph inside is read once, via the paragraph.
      return !found.some(function (other) { return other !== el && el.contains(other); });
    });
  }

  function textNodes(block) {
    var nodes = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, null);
    var node;
    while ((node = walker.nextNode())) {
      var parent = node.parentElement;
      if (!parent || parent.closest(SKIP_TEXT)) { continue; }
      var details = parent.closest("details");
      if (details && !details.open && !parent.closest("summary")) { continue; }
      nodes.push(node);
    }
    return nodes;
  }

  /* Wrap every sentence of `block` in spans: one span per text node the sentence crosses, so
     links and bold text inside a sentence stay as they are. Returns [{text, parts}]. */
  function wrapSentences(block, first) {
    var nodes = textNodes(block);
    var full = "";
    var offsets = nodes.map(function (node) {
      var at = full.length;
      full += node.data;
      return at;
    });
    var sentences = splitSentences(full);
    var result = sentences.map(function (s) {
      return { text: s.text.replace(/\s+/g, " "), parts: [], start: s.start, end: s.end };
    });
    // Work backwards so splitting a text node does not move the offsets still to come.
    for (var n = nodes.length - 1; n >= 0; n -= 1) {
      var node = nodes[n];
      var nodeStart = offsets[n];
      var nodeEnd = nodeStart + node.data.length;
      for (var k = result.length - 1; k >= 0; k -= 1) {
        var from = Math.max(result[k].start, nodeStart);
        var to = Math.min(result[k].end, nodeEnd);
        if (from >= to) { continue; }
        var piece = node;
        if (to - nodeStart < piece.data.length) { piece.splitText(to - nodeStart); }
        if (from > nodeStart) { piece = piece.splitText(from - nodeStart); }
        var span = document.createElement("span");
        span.className = SENTENCE;
        span.setAttribute("data-sentence", String(first + k));
        piece.parentNode.insertBefore(span, piece);
        span.appendChild(piece);
        result[k].parts.unshift(span);
      }
    }
    return result;
  }

  function unwrap(root) {
    var spans = root.querySelectorAll("." + SENTENCE);
    var parents = [];
    Array.prototype.forEach.call(spans, function (span) {
      var parent = span.parentNode;
      while (span.firstChild) { parent.insertBefore(span.firstChild, span); }
      parent.removeChild(span);
      if (parents.indexOf(parent) === -1) { parents.push(parent); }
    });
    parents.forEach(function (parent) { parent.normalize(); });
  }

  function pickVoice(synth) {
    var voices = (synth.getVoices && synth.getVoices()) || [];
    var tag = function (voice) { return String(voice.lang || "").replace("_", "-").toLowerCase(); };
    var belgian = voices.filter(function (v) { return tag(v) === "nl-be"; });
    if (belgian.length) { return belgian[0]; }
    var dutch = voices.filter(function (v) { return tag(v) === "nl" || tag(v).indexOf("nl-") === 0; });
    return dutch.length ? dutch[0] : null;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function showInView(el) {
    var box = el.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= 0 && box.bottom <= height) { return; }
    el.scrollIntoView({ block: "center", behavior: reducedMotion() ? "auto" : "smooth" });
  }

  function init() {
    var button = document.querySelector("[data-read-aloud]");
    if (!button || !Element.prototype.closest) { return; }
    var step = button.closest(".step") || document.querySelector("main");
    var recording = step.querySelector("audio[data-read-aloud-recording]");
    var synth = window.speechSynthesis;
    var canSpeak = Boolean(synth && typeof synth.speak === "function" &&
                           typeof window.SpeechSynthesisUtterance === "function");
    if (!recording && !canSpeak) { return; }  // no dead button
    // Chrome loads its voice list on first request; by the time of a press it is there.
    if (canSpeak && synth.getVoices) { synth.getVoices(); }
    var label = button.querySelector("[data-read-aloud-label]");
    var reading = false;
    var run = 0;  // each start gets a new number; late events of a stopped run are ignored
    // Chrome can drop an utterance's "end" event once nothing in the page refers to it
    // any more (garbage collected), which would stop reading after a sentence.
    var speaking = null;

    function setReading(on) {
      reading = on;
      label.textContent = button.getAttribute(on ? "data-label-stop" : "data-label-start");
      button.classList.toggle("read-aloud-active", on);
    }

    function stop() {
      if (!reading) { return; }
      run += 1;
      setReading(false);
      if (recording) {
        recording.pause();
        recording.currentTime = 0;
        return;
      }
      synth.cancel();
      speaking = null;
      unwrap(step);
    }

    function speakAll() {
      var sentences = [];
      readableBlocks(step).forEach(function (block) {
        sentences = sentences.concat(wrapSentences(block, sentences.length));
      });
      var voice = pickVoice(synth);
      var mine = run;
      function highlight(index) {
        Array.prototype.forEach.call(step.querySelectorAll("." + CURRENT), function (el) {
          el.classList.remove(CURRENT);
        });
        if (index < sentences.length) {
          sentences[index].parts.forEach(function (el) { el.classList.add(CURRENT); });
          if (sentences[index].parts.length) { showInView(sentences[index].parts[0]); }
        }
      }
      function next(index) {
        if (mine !== run) { return; }
        if (index >= sentences.length) { stop(); return; }
        var utterance = new window.SpeechSynthesisUtterance(sentences[index].text);
        utterance.lang = voice ? voice.lang : "nl-BE";
        if (voice) { utterance.voice = voice; }
        utterance.onend = function () { next(index + 1); };
        utterance.onerror = function () { if (mine === run) { stop(); } };
        highlight(index);
        speaking = utterance;
        synth.speak(utterance);
      }
      // A previous page's speech may still be queued (Chrome keeps it across pages).
      synth.cancel();
      next(0);
    }

    button.addEventListener("click", function () {
      if (reading) { stop(); return; }
      run += 1;
      setReading(true);
      if (recording) {
        var mine = run;
        var played = recording.play();
        if (played && typeof played.catch === "function") {
          played.catch(function () { if (mine === run) { stop(); } });
        }
        return;
      }
      speakAll();
    });
    if (recording) {
      recording.addEventListener("ended", stop);
      // Paused with the player's own controls: the button says "Lees voor" again.
      recording.addEventListener("pause", function () { if (reading) { stop(); } });
    }
    document.addEventListener("keydown", function (event) {
      if (reading && (event.key === "Escape" || event.key === "Esc")) { stop(); }
    });
    window.addEventListener("pagehide", stop);
    button.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
