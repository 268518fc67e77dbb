/* The easy-language check in the lesson editor, checked again while the trainer writes.
 *
 * Wagtail 8 autosaves the draft and then dispatches "w-autosave:success" (or
 * "w-autosave:error" when the draft cannot be saved yet, e.g. a step without a title) on
 * the form; both bubble to the document. After either, and when the trainer presses
 * "Opnieuw controleren", the editor's form is posted to the check's own address
 * (courses.admin_views.lesson_easy_language), which saves nothing and answers with the
 * findings. Without this script the button is a link that reloads the editor.
 */
(function () {
  "use strict";

  function start(panel) {
    var findings = panel.querySelector("[data-easy-check-findings]");
    var status = panel.querySelector("[data-easy-check-status]");
    var button = panel.querySelector("[data-easy-check-refresh]");
    var form = panel.closest("form");
    var latest = 0;

    function say(key) {
      status.textContent = panel.getAttribute("data-easy-check-" + key) || "";
    }

    function refresh(announce) {
      latest += 1;
      var ticket = latest;
      if (announce) { say("busy"); }
      var body = form ? new FormData(form) : null;
      var options = body
        ? { method: "POST", body: body, credentials: "same-origin" }
        : { method: "GET", credentials: "same-origin" };
      return fetch(panel.getAttribute("data-easy-check-url"), options)
        .then(function (response) {
          // A redirect means the session ended (the login page): not findings to show.
          if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          // An older answer that arrives late must not replace a newer one.
          if (ticket !== latest) { return; }
          findings.innerHTML = html;
          panel.setAttribute("data-easy-check-refreshed", String(ticket));
          // Autosave runs often: only a check the trainer asked for is announced.
          if (announce) { say("done"); }
        })
        .catch(function () {
          if (ticket === latest && announce) { say("failed"); }
        });
    }

    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        refresh(true);
      });
    }
    document.addEventListener("w-autosave:success", function () { refresh(false); });
    document.addEventListener("w-autosave:error", function () { refresh(false); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-easy-check]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
