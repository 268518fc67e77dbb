/* Progressive enhancement for exercises: answer without reloading the page.
   Without JavaScript the same form posts and redirects back (Post/Redirect/Get). */
(function () {
  "use strict";
  function enhance(form) {
    var feedback = form.querySelector("[data-feedback]");
    var attempt = form.querySelector("input[name=poging]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) { return; }
      event.preventDefault();
      button.disabled = true;
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
          feedback.replaceChildren(message);
        }
      }).catch(function () {
        // Network trouble: fall back to a normal submit with the same attempt id,
        // so an answer that did arrive is not counted twice.
        form.submit();
      }).finally(function () {
        button.disabled = false;
      });
    });
  }
  document.querySelectorAll("form[data-exercise]").forEach(enhance);
})();
