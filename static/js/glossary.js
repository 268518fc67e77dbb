/* Glossary words in a lesson: a tap opens a small dialog with the easy explanation.
   Without JavaScript (or without <dialog>) the word stays a link to its entry on
   /woordenlijst/. The explanations come from <template> elements in the page
   (templates/courses/_glossary_popovers.html); nothing is fetched. */
(function () {
  "use strict";
  var dialog = document.getElementById("woordenlijst-venster");
  if (!dialog || typeof dialog.showModal !== "function" || !("content" in document.createElement("template"))) {
    return;
  }
  var title = dialog.querySelector("[data-glossary-title]");
  var body = dialog.querySelector("[data-glossary-body]");
  var closeButton = dialog.querySelector("[data-glossary-close]");
  var opener = null;

  function contentFor(link) {
    return document.getElementById("woordenlijst-" + link.getAttribute("data-glossary"));
  }

  function open(link, content) {
    opener = link;
    title.textContent = content.getAttribute("data-term");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(content.content.cloneNode(true));
    link.setAttribute("aria-expanded", "true");
    dialog.showModal();
    closeButton.focus();
  }

  var links = document.querySelectorAll("a[data-glossary]");
  for (var i = 0; i < links.length; i++) {
    if (contentFor(links[i])) {
      links[i].setAttribute("aria-haspopup", "dialog");
      links[i].setAttribute("aria-expanded", "false");
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-glossary]") : null;
    // A click with a modifier key opens the glossary page as usual (new tab, new window).
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    var content = contentFor(link);
    if (!content) { return; }
    event.preventDefault();
    open(link, content);
  });

  closeButton.addEventListener("click", function () { dialog.close(); });

  // A tap on the dimmed page around the dialog closes it too.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); }
  });

  // Escape closes a modal dialog by itself ("cancel", then "close"). Focus goes back to
  // the word, so a keyboard user goes on reading where they were.
  dialog.addEventListener("close", function () {
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
      opener = null;
    }
  });
})();
