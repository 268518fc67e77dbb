/* H5P.DigibankVraag 1.1 – a question with one right answer.
   Written for this project's tests and demo; no third-party code. It renders the question,
   restores a previous answer (H5P "previousState"), and on "Controleer" triggers the xAPI
   statements "answered" and "completed" with a score of 0 or 1. */
var H5P = H5P || {};
H5P.DigibankVraag = (function (EventDispatcher) {
  "use strict";

  function DigibankVraag(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    var state = (extras && extras.previousState) || {};
    this.chosen = typeof state.chosen === "number" ? state.chosen : null;
    this.checked = state.checked === true && this.chosen !== null;
  }
  DigibankVraag.prototype = Object.create(EventDispatcher.prototype);
  DigibankVraag.prototype.constructor = DigibankVraag;

  DigibankVraag.prototype.attach = function ($container) {
    var self = this;
    var root = $container.get(0);
    var answers = this.params.answers || [];
    root.classList.add("h5p-digibank-vraag");
    root.innerHTML = "";
    // A div, not a form: the player frame is sandboxed without allow-forms.
    var form = document.createElement("div");
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = this.params.question || "";
    fieldset.appendChild(legend);
    this.inputs = answers.map(function (answer, index) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "antwoord-" + self.contentId;
      input.value = String(index);
      input.checked = index === self.chosen;
      input.addEventListener("change", function () {
        self.chosen = index;
        self.checked = false;
      });
      var text = document.createElement("span");
      text.textContent = answer.text || "";
      label.appendChild(input);
      label.appendChild(text);
      fieldset.appendChild(label);
      return input;
    });
    form.appendChild(fieldset);
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = this.params.checkLabel || "Controleer";
    form.appendChild(button);
    this.feedback = document.createElement("p");
    this.feedback.className = "feedback";
    this.feedback.setAttribute("aria-live", "polite");
    form.appendChild(this.feedback);
    button.addEventListener("click", function () {
      self.check();
    });
    root.appendChild(form);
    if (this.checked) { this.showFeedback(); }
    this.trigger("resize");
  };

  DigibankVraag.prototype.isCorrect = function () {
    var answer = (this.params.answers || [])[this.chosen];
    return !!(answer && answer.correct);
  };

  DigibankVraag.prototype.showFeedback = function () {
    this.feedback.textContent = this.isCorrect()
      ? (this.params.feedbackCorrect || "Juist!")
      : (this.params.feedbackWrong || "Nog niet juist. Probeer opnieuw.");
  };

  DigibankVraag.prototype.check = function () {
    if (this.chosen === null) {
      this.feedback.textContent = this.params.chooseFirst || "Kies eerst een antwoord.";
      return;
    }
    this.checked = true;
    this.showFeedback();
    var score = this.isCorrect() ? 1 : 0;
    var answered = this.createXAPIEventTemplate("answered");
    answered.setScoredResult(score, 1, this, true, score === 1);
    answered.data.statement.result.response = String(this.chosen);
    this.trigger(answered);
    this.triggerXAPIScored(score, 1, "completed", true, score === 1);
    this.trigger("resize");
  };

  DigibankVraag.prototype.getScore = function () { return this.checked && this.isCorrect() ? 1 : 0; };
  DigibankVraag.prototype.getMaxScore = function () { return 1; };
  DigibankVraag.prototype.getAnswerGiven = function () { return this.chosen !== null; };
  DigibankVraag.prototype.getCurrentState = function () {
    return { chosen: this.chosen, checked: this.checked };
  };
  DigibankVraag.prototype.resetTask = function () {
    this.chosen = null;
    this.checked = false;
    this.inputs.forEach(function (input) { input.checked = false; });
    this.feedback.textContent = "";
  };

  return DigibankVraag;
})(H5P.EventDispatcher);
