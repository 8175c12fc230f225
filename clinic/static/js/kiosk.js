// Kiosk timing. Left idle, the tablet first asks "Are you still there?" and gives a
// minute to answer (WCAG 2.2.1: a time limit the user can extend), then locks back to the
// start page. The server locks an idle session too, so this is a courtesy, not the guard.
(function () {
  "use strict";
  var body = document.body;

  var returnAfter = parseInt(body.getAttribute("data-return-after"), 10);
  if (returnAfter > 0) {
    window.setTimeout(function () {
      window.location.assign(body.getAttribute("data-return-url"));
    }, returnAfter * 1000);
  }

  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds"), 10);
  var warning = document.getElementById("idle-warning");
  if (!(idleSeconds > 0) || !warning) {
    return;
  }
  var graceSeconds = Math.min(60, Math.floor(idleSeconds / 2));
  var countdown = warning.querySelector("[data-countdown]");
  var idleTimer = null;
  var tickTimer = null;

  function lock() {
    document.getElementById("lock-form").submit();
  }

  function warn() {
    var left = graceSeconds;
    countdown.textContent = String(left);
    warning.hidden = false;
    warning.querySelector("[data-still-here]").focus();
    tickTimer = window.setInterval(function () {
      left -= 1;
      countdown.textContent = String(left);
      if (left <= 0) {
        lock();
      }
    }, 1000);
  }

  function restart() {
    window.clearTimeout(idleTimer);
    window.clearInterval(tickTimer);
    warning.hidden = true;
    idleTimer = window.setTimeout(warn, (idleSeconds - graceSeconds) * 1000);
  }

  warning.querySelector("[data-still-here]").addEventListener("click", restart);
  ["keydown", "pointerdown", "input", "change"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (!warning.contains(event.target)) {
        restart();
      }
    });
  });
  restart();
}());
