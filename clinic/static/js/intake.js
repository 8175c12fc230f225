// Inline follow-up questions. Without this script the page still works: a follow-up
// shows on the next page load once its parent answer opens it.
(function () {
  "use strict";

  function chosenValues(name) {
    var inputs = document.querySelectorAll('[name="' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function isShown(block) {
    var parent = block.getAttribute("data-follow-up-of");
    if (!parent) {
      return true;
    }
    var parentBlock = document.getElementById(parent + "-question");
    if (parentBlock && !isShown(parentBlock)) {
      return false;
    }
    var wanted = block.getAttribute("data-follow-up-when").split(" ");
    return chosenValues(parent).some(function (value) {
      return wanted.indexOf(value) !== -1;
    });
  }

  function update() {
    document.querySelectorAll("[data-follow-up-of]").forEach(function (block) {
      block.hidden = !isShown(block);
    });
  }

  document.addEventListener("change", update);
  update();
}());
