/* Progressive enhancement for exercises: answer without reloading the page.
   Without JavaScript the same form posts and redirects back (Post/Redirect/Get). */
(function () {
  "use strict";
  function enhance(form) {
    var feedback = form.querySelector("[data-feedback]");
    var attempt = form.querySelector("input[name=poging]");
    var button = form.querySelector("button[type=submit]");
    // Not `disabled`: a disabled button loses keyboard focus, and a screen reader its place.
    var sending = false;
    function done() {
      sending = false;
      button.removeAttribute("aria-disabled");
    }
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData || !window.Promise) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      button.setAttribute("aria-disabled", "true");
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
        } else {
          var message = document.createElement("p");
          message.className = "feedback feedback-retry";
          message.textContent = result.data.error;
          feedback.innerHTML = "";
          feedback.appendChild(message);
        }
        done();
      }).catch(function () {
        // Network trouble: fall back to a normal submit with the same attempt id,
        // so an answer that did arrive is not counted twice.
        form.submit();
      });
    });
  }
  // Array.prototype.forEach: NodeList.forEach is missing on some old phone browsers.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-exercise]"), enhance);
})();
