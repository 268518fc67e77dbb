/* Give every rich-text editor in the Wagtail admin an accessible name.
 *
 * Draftail's editable area is a role="textbox" that points only at its placeholder, so a
 * screen reader announces "edit text" without saying which field it is (axe:
 * aria-input-field-name). Trainers who use a screen reader need the field's own label.
 * Editors appear later too (a new step or block), hence the observer.
 */
(function () {
  "use strict";
  var counter = 0;

  function labelFor(box) {
    var field = box.closest(".w-field, [data-field-wrapper]");
    var label = field && field.querySelector(".w-field__label, label, legend");
    if (label && label.textContent.trim()) { return label; }
    var panel = box.closest("[data-panel], section, .w-panel");
    var heading = panel && panel.querySelector("[data-panel-heading-text], .w-panel__heading, h2, h3");
    return heading && heading.textContent.trim() ? heading : null;
  }

  function nameEditors() {
    var boxes = document.querySelectorAll('[role="textbox"][contenteditable="true"]');
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) { return; }
      var label = labelFor(box);
      if (label) {
        if (!label.id) { counter += 1; label.id = "editor-label-" + counter; }
        box.setAttribute("aria-labelledby", label.id);
      } else {
        box.setAttribute("aria-label", document.documentElement.lang.indexOf("nl") === 0 ? "Tekst" : "Text");
      }
    });
  }

  var pending = false;
  function soon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; nameEditors(); });
  }

  function start() {
    nameEditors();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
