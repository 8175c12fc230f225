// A batch of handouts: ask the server to prepare the next few until all are ready,
// showing progress as it goes. Without JavaScript, the page's button does the same.
(function () {
  "use strict";
  var root = document.querySelector("[data-batch]");
  var form = root && root.querySelector("[data-batch-step]");
  if (!form) {
    return;
  }
  var status = root.querySelector("[data-batch-status]");
  var bar = root.querySelector("[data-batch-progress]");
  var failures = root.querySelector("[data-batch-failures]");
  var failureList = root.querySelector("[data-batch-failure-list]");
  var ready = root.querySelector("[data-batch-ready]");
  var file = root.querySelector("[data-batch-file]");
  form.hidden = true;

  function show(state) {
    bar.max = state.total;
    bar.value = state.done;
    bar.textContent = state.done + " of " + state.total;
    failureList.textContent = "";
    state.failures.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      failureList.appendChild(item);
    });
    failures.hidden = state.failures.length === 0;
    var printed = state.done - state.failures.length;
    if (state.ready) {
      status.textContent = "Ready: " + printed + " of " + state.total + " handouts to print.";
      file.textContent = "Open the PDF of " + printed + " handouts";
      ready.hidden = printed === 0;
    } else {
      status.textContent = "Preparing " + state.total + " handouts: " + state.done +
        " of " + state.total + " done.";
    }
  }

  function step() {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (state) {
      show(state);
      if (!state.ready) {
        step();
      }
    }).catch(function () {
      status.textContent = "Preparing the handouts stopped. Press the button to go on.";
      form.hidden = false;
    });
  }
  step();
}());
