/* Progressive enhancement for exercises: answer without reloading the page.
   Without JavaScript the same form posts and redirects back (Post/Redirect/Get).
   When the answer could not be saved (the server says so, or the network failed), the
   learner is told, and nothing is sent again by itself: they try again when they want,
   with the same attempt id, so an answer that did arrive is never counted twice. */
(function () {
  "use strict";
  // Into the feedback region: it is aria-live, so a screen reader reads the message out.
  function say(feedback, text) {
    var message = document.createElement("p");
    message.className = "feedback feedback-retry";
    message.textContent = text;
    feedback.innerHTML = "";
    feedback.appendChild(message);
  }
  function enhance(form) {
    var feedback = form.querySelector("[data-feedback]");
    var attempt = form.querySelector("input[name=poging]");
    // The check button: not one of the spots over a picture ("Tik op de juiste plek").
    var button = form.querySelector("button[type=submit]:not([data-tap-area])");
    var notSaved = form.getAttribute("data-not-saved-text");
    // Not `disabled`: a disabled button loses keyboard focus, and a screen reader its place.
    var sending = false;
    function done() {
      sending = false;
      button.removeAttribute("aria-disabled");
    }
    // A tap on a spot chooses the same spot in the list below the picture: FormData leaves
    // out the pressed button, so the list's option carries the answer (the same value).
    Array.prototype.forEach.call(form.querySelectorAll("[data-tap-area]"), function (area) {
      area.addEventListener("click", function () {
        var option = form.querySelector("input[name=antwoord][value='" + area.value + "']");
        if (option) { option.checked = true; }
        var said = form.querySelector(".tap-chosen");  // "Je koos: …" of the answer before
        if (said) { said.parentNode.removeChild(said); }
        Array.prototype.forEach.call(form.querySelectorAll("[data-tap-area]"), function (other) {
          other.classList.toggle("tap-area-chosen", other === area);
        });
      });
    });
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData || !window.Promise) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      button.setAttribute("aria-disabled", "true");
      var shown = form.querySelector(".answer-error");
      if (shown) { shown.parentNode.removeChild(shown); }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok) {
          feedback.innerHTML = result.data.feedback_html;
          attempt.value = result.data.next_attempt_id;
          if (result.data.lesson_completed) {
            // "Les afronden" now leads to a finished lesson: it becomes the main button.
            var finish = document.querySelector("[data-finish-lesson]");
            if (finish && finish.className.indexOf("button-primary") < 0) {
              finish.className += " button-primary";
            }
          }
        } else {
          say(feedback, result.data.error || notSaved);
        }
        done();
      }).catch(function () {
        // Network trouble, or a page that is not our answer (a proxy's error page).
        say(feedback, notSaved);
        done();
      });
    });
  }
  // Array.prototype.forEach: NodeList.forEach is missing on some old phone browsers.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-exercise]"), enhance);
})();
