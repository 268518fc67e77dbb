/* The header's "Menu" (templates/components/header.html) is a native <details>: it opens
   and closes without this script. The script only adds what a menu is expected to do:
   Escape closes it and puts focus back on "Menu"; a tap or a click outside closes it. */
(function () {
  "use strict";
  var menu = document.querySelector("[data-site-menu]");
  if (!menu) return;
  var button = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !menu.open) return;
    menu.open = false;
    button.focus();
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();
