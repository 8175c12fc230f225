/* Drag and drop to reorder the plan's items. The order travels in each item's hidden
   "position" input and is saved with the next button press; without JavaScript the
   "Move up" and "Move down" buttons do the same. */
(function () {
  "use strict";
  var list = document.querySelector("[data-plan-items]");
  if (!list) { return; }
  var dragged = null;

  function renumber() {
    var items = list.querySelectorAll("[data-plan-item]");
    items.forEach(function (item, index) {
      item.querySelector("input[data-position]").value = String(index + 1);
      var number = item.querySelector(".plan-item__number");
      if (number) { number.textContent = (index + 1) + "."; }
    });
  }

  list.querySelectorAll("[data-plan-item]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("plan-item--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("plan-item--dragging");
      dragged = null;
      renumber();
    });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item) { return; }
      event.preventDefault();
      var box = item.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? item.nextSibling : item);
    });
    item.addEventListener("drop", function (event) { event.preventDefault(); });
  });
}());
