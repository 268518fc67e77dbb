/* The lesson page's side of an H5P step (templates/learning/h5p_exercise.html).
   It makes the sandboxed frame (sandbox="allow-scripts", no allow-same-origin: the frame's
   origin is opaque), and is the only one that talks to the site: it accepts messages from
   that frame alone, checks their shape, and posts statements and resume state with the
   CSRF token. The frame never sees the learner's cookies or the token. */
(function () {
  "use strict";
  var CHANNEL = "digibank-h5p";
  var MAX_TEXT = 64 * 1024;

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function validStatement(statement) {
    if (!isObject(statement) || typeof statement.id !== "string" || statement.id.length > 64) { return false; }
    if (!isObject(statement.verb) || typeof statement.verb.id !== "string") { return false; }
    if (!isObject(statement.object) || typeof statement.object.id !== "string") { return false; }
    try { return JSON.stringify(statement).length <= MAX_TEXT; } catch (error) { return false; }
  }

  // The learner's text size ("Grotere letters": a class on <html>), as a factor for the
  // frame: the frame zooms its content by it, and its height follows.
  function textScale() {
    var classes = document.documentElement.classList;
    if (classes.contains("tekst-extra-groot")) { return 162.5 / 112.5; }
    if (classes.contains("tekst-groot")) { return 137.5 / 112.5; }
    return 1;
  }

  function enhance(holder) {
    // A preview (the admin's package page, the lesson editor's preview): the same sandboxed
    // player, but nothing is posted: no statements, no resume state, no learner.
    var preview = holder.hasAttribute("data-h5p-preview");
    var tokenField = holder.querySelector("input[name=csrfmiddlewaretoken]");
    var token = tokenField ? tokenField.value : "";
    var feedback = holder.parentNode.querySelector("[data-h5p-feedback]");
    var loading = holder.querySelector("[data-h5p-loading]") || document.createElement("p");
    var stateScript = preview ? null : document.getElementById(holder.getAttribute("data-state-id"));
    var state = stateScript ? JSON.parse(stateScript.textContent) : "";
    var lesson = parseInt(holder.getAttribute("data-lesson"), 10);
    var exercise = holder.getAttribute("data-exercise");
    var started = false;
    var stateTimer = null;
    var pendingState = null;

    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("title", holder.getAttribute("data-title"));
    frame.setAttribute("loading", "eager");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.src = holder.getAttribute("data-player-url");
    holder.appendChild(frame);
    loading.hidden = false;

    // One request at a time, in order: a first answer makes the learner (and the cookie),
    // and the next request must carry that cookie instead of making a second learner.
    var queue = Promise.resolve();
    function post(url, body) {
      var sent = queue.then(function () { return send(url, body); });
      queue = sent.catch(function () {});
      return sent;
    }

    function send(url, body) {
      body.les = lesson;
      body.oefening = exercise;
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      });
    }

    function say(text, good) {
      var message = document.createElement("p");
      message.className = "feedback " + (good ? "feedback-good" : "feedback-retry");
      message.textContent = text;
      feedback.innerHTML = "";
      feedback.appendChild(message);
    }

    function saveState() {
      stateTimer = null;
      if (pendingState === null) { return; }
      var body = { state: pendingState };
      pendingState = null;
      post(holder.getAttribute("data-state-url"), body).catch(function () {});
    }

    function start() {
      if (started) { return; }
      started = true;
      // The frame's origin is opaque, so "*" is the only target that reaches it. It gets
      // only this learner's own resume state for this activity, nothing else.
      frame.contentWindow.postMessage({ channel: CHANNEL, kind: "start", state: state || null, scale: textScale() }, "*");
    }

    window.addEventListener("message", function (event) {
      if (event.source !== frame.contentWindow) { return; }
      var data = event.data;
      if (!isObject(data) || data.channel !== CHANNEL || typeof data.kind !== "string") { return; }
      if (data.kind === "ready") {
        start();
      } else if (data.kind === "loaded") {
        loading.hidden = true;
        holder.setAttribute("data-h5p-ready", "true");
        // Milliseconds since the page began to load: the benchmark reads this.
        holder.setAttribute("data-h5p-ready-ms", String(Math.round(window.performance.now())));
      } else if (data.kind === "height" && typeof data.height === "number") {
        frame.style.height = Math.max(120, Math.min(4000, Math.round(data.height))) + "px";
      } else if (preview) {
        if (data.kind === "statement" && validStatement(data.statement)) {
          holder.setAttribute("data-h5p-seen", String(Number(holder.getAttribute("data-h5p-seen") || 0) + 1));
        }
      } else if (data.kind === "state" && typeof data.state === "string" && data.state.length <= MAX_TEXT) {
        pendingState = data.state;
        if (stateTimer === null) { stateTimer = window.setTimeout(saveState, 500); }
      } else if (data.kind === "statement" && validStatement(data.statement)) {
        post(holder.getAttribute("data-statement-url"), { statement: data.statement }).then(function (result) {
          if (!result.ok) { say(result.data.error, false); return; }
          // Only praise a pass: an H5P exercise is extra, so the lesson can be complete
          // while this activity is still wrong (LessonPage.required_exercises).
          if (result.data.passed) {
            say(holder.getAttribute(result.data.lesson_completed ? "data-done-text" : "data-passed-text"), true);
          }
          holder.setAttribute("data-h5p-stored", String(Number(holder.getAttribute("data-h5p-stored") || 0) + 1));
        }).catch(function () {
          say(holder.getAttribute("data-offline-text"), false);
        });
      }
    });
    if (!preview) { window.addEventListener("pagehide", saveState); }
  }

  if (!window.fetch || !window.postMessage || !window.JSON) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-h5p]"), enhance);
})();
