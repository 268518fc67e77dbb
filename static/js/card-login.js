/* A scanned learning card opens /leerkaart/#CODE. The code sits after '#', so it never
   reaches the server log or a Referer header. Move it into the form, wipe it from the
   address bar and history, and log in by POST. Without JavaScript: type the code. */
(function () {
  "use strict";
  var code = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  if (!code) { return; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var form = document.querySelector("form[data-card-login]");
  var input = form && form.querySelector("[data-card-code]");
  if (!input) { return; }
  input.value = code;
  form.submit();
})();
