// Emergency alerts on every front-desk and therapist page.
//
// Asks the server every few seconds (a short GET: gunicorn's sync workers hold no
// connection open) for the emergencies nobody has acknowledged. The server keeps all the
// state, so every tab, worker and app server shows the same thing. The page sends the
// fingerprint of what it shows; the server sends patients' names only when that changed.
// A new alert shows a banner, plays a tone (mutable per browser) and changes the tab's
// title; one left unacknowledged past the clinic's limit escalates: a louder banner and
// a tone every 15 seconds until someone takes it up.
(function () {
  "use strict";
  var region = document.getElementById("live-alerts");
  if (!region || !window.fetch) {
    return;
  }
  var list = region.querySelector("[data-alert-list]");
  var soundToggle = region.querySelector("[data-sound-toggle]");
  var soundNote = region.querySelector("[data-sound-note]");
  var offline = document.getElementById("live-alerts-offline");
  var counter = document.querySelector("#emergency-count [data-count]");
  var pollUrl = region.getAttribute("data-poll-url");
  var pollSeconds = parseInt(region.getAttribute("data-poll-seconds"), 10) || 3;
  var csrfToken = region.getAttribute("data-csrf-token");
  var baseTitle = document.title;
  var SOUND_KEY = "clinic.alertSound";
  var REPEAT_MS = 15000;

  var seen = "";
  var shown = {};      // acknowledge URL -> true, for the alerts on screen now
  var escalated = false;
  var failures = 0;
  var lastTone = 0;
  var audio = null;

  function muted() {
    try {
      return window.localStorage.getItem(SOUND_KEY) === "off";
    } catch (error) {
      return false;
    }
  }

  function showSoundState() {
    var off = muted();
    soundToggle.setAttribute("aria-pressed", off ? "true" : "false");
    soundToggle.textContent = off ? "Alert sound is off: turn it on" : "Mute alert sound";
  }

  soundToggle.addEventListener("click", function () {
    try {
      window.localStorage.setItem(SOUND_KEY, muted() ? "on" : "off");
    } catch (error) {
      // Private browsing without storage: the sound stays as it is.
    }
    showSoundState();
  });

  function audioContext() {
    if (!audio) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) {
        return null;
      }
      audio = new Context();
    }
    return audio;
  }

  // Browsers start audio only after the user has touched the page: resume then.
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (audio && audio.state === "suspended") {
        audio.resume();
      }
      soundNote.hidden = true;
    });
  });

  function tone(loud) {
    if (muted()) {
      return;
    }
    var context = audioContext();
    if (!context) {
      return;
    }
    if (context.state === "suspended") {
      soundNote.hidden = false;
      context.resume();
    }
    lastTone = Date.now();
    var beeps = loud ? 4 : 2;
    for (var i = 0; i < beeps; i += 1) {
      var start = context.currentTime + i * 0.35;
      var oscillator = context.createOscillator();
      var gain = context.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = i % 2 ? 660 : 880;
      gain.gain.setValueAtTime(loud ? 0.25 : 0.12, start);
      gain.gain.setValueAtTime(0, start + 0.25);
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.3);
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function minutes(count) {
    return count === 1 ? "1 minute" : count + " minutes";
  }

  function banner(alert) {
    var box = element("article", "live-alert" + (alert.escalated ? " live-alert--escalated" : ""));
    var heading = element("h2", "live-alert__title");
    heading.textContent = "EMERGENCY: " + alert.patient + " (chart " + alert.chart_number + ")";
    box.appendChild(heading);
    box.appendChild(element("p", "live-alert__when", alert.escalated
      ? "Nobody has acknowledged this for " + minutes(alert.waited_minutes) +
        " (raised at " + alert.raised_at + "). Act on it now."
      : "Raised at " + alert.raised_at + (alert.interim ? ", while the questionnaire was being answered." : ".")));
    var actions = element("ul", "live-alert__actions");
    alert.actions.forEach(function (action) {
      actions.appendChild(element("li", "", action));
    });
    box.appendChild(actions);
    var form = element("form", "live-alert__form");
    form.method = "post";
    form.action = alert.acknowledge_url;
    var token = element("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrfToken;
    form.appendChild(token);
    form.appendChild(element("button", "button button--inverse", "Open and acknowledge"));
    box.appendChild(form);
    return box;
  }

  function show(data) {
    if (counter) {
      var link = counter.parentNode;
      counter.textContent = String(data.count);
      link.classList.toggle("emergency-count--active", data.count > 0);
      if (link.hasAttribute("data-hide-when-zero")) {
        link.hidden = data.count === 0;
      }
    }
    if (!data.alerts) {
      return;  // the alerts on screen are current
    }
    seen = data.fingerprint;
    var now = {};
    var fresh = false;
    escalated = false;
    list.textContent = "";
    data.alerts.forEach(function (alert) {
      now[alert.acknowledge_url] = true;
      fresh = fresh || !shown[alert.acknowledge_url];
      escalated = escalated || alert.escalated;
      list.appendChild(banner(alert));
    });
    var wasEscalated = region.classList.contains("live-alerts--escalated");
    shown = now;
    region.hidden = data.alerts.length === 0;
    region.classList.toggle("live-alerts--escalated", escalated);
    if (data.alerts.length === 0) {
      document.title = baseTitle;
    } else {
      document.title = (escalated ? "EMERGENCY WAITING (" : "EMERGENCY (") + data.alerts.length + ") " + baseTitle;
    }
    if (fresh || (escalated && !wasEscalated)) {
      tone(escalated);
    }
  }

  function schedule() {
    // Back off while the server cannot be reached (a restart, a network blip).
    var delay = pollSeconds * 1000 * Math.min(4, 1 + failures);
    window.setTimeout(poll, delay);
  }

  function poll() {
    var url = pollUrl + "?seen=" + encodeURIComponent(seen);
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.redirected) {
          // Signed out (idle timeout): reload, which shows the sign-in page.
          window.location.reload();
          return null;
        }
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data === null) {
          return;
        }
        failures = 0;
        offline.hidden = true;
        show(data);
        if (escalated && Date.now() - lastTone >= REPEAT_MS) {
          tone(true);
        }
        schedule();
      })
      .catch(function () {
        failures += 1;
        offline.hidden = failures < 2;
        schedule();
      });
  }

  showSoundState();
  poll();
}());
