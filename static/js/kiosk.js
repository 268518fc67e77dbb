/* Kiosk mode: warn a minute before an idle session ends, then end it.
   The server ends idle sessions by itself too; this only makes it visible and kind. */
(function () {
  "use strict";
  var idle = parseInt(document.body.getAttribute("data-kiosk-idle"), 10);
  var warning = document.querySelector("[data-kiosk-warning]");
  var form = document.querySelector("form[data-kiosk-still-here]");
  if (!idle || !warning || !form) { return; }
  var warnTimer, endTimer;
  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () {
      warning.hidden = false;
      warning.querySelector("button").focus();
    }, Math.max(idle - 60, 1) * 1000);
    endTimer = setTimeout(function () {
      window.location.href = "/kiosk/inactief/";
    }, idle * 1000);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function () { warning.hidden = true; schedule(); });
  });
  schedule();
})();
