/* oefen-itsme on the learner's own smartphone (templates/learning/_sandbox_pairing.html):
   while the computer shows the QR code, ask every second whether the phone confirmed, and
   load the page again by itself when it did (or when the QR code ran out). Without
   JavaScript, or without fetch on an old browser, "Ik heb bevestigd" does the same. */
(function () {
  "use strict";
  var holder = document.querySelector("[data-pairing-status]");
  if (!holder || !window.fetch) { return; }
  var url = holder.getAttribute("data-pairing-status");
  var every = 1000;
  function check() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.stand === "klaar") {
          window.location.reload();  // the page was a GET (Post/Redirect/Get): safe to load again
          return;
        }
        window.setTimeout(check, every);
      })
      .catch(function () { window.setTimeout(check, every * 5); });  // offline for a moment
  }
  window.setTimeout(check, every);
})();
