/* Idle warning (maatpak.accounts.idle). The server ends a session after a period without
 * requests; this script only warns. It asks the session endpoint how long is left (a GET,
 * which does not count as activity), shows the dialog #idle-warning shortly before the end
 * with a "stay logged in" button (a POST, which does), and goes to the log-in page when the
 * session has ended. Requests in other tabs and htmx requests extend the session on the
 * server; the script sees that at its next check. No inline code: the Content-Security-Policy
 * allows none. */
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var statusUrl = dialog.dataset.statusUrl;
  var loginUrl = dialog.dataset.loginUrl;
  var warning = parseInt(dialog.dataset.warningSeconds, 10) || 120;
  var stay = document.getElementById("idle-warning-stay");
  var limit = document.getElementById("idle-warning-limit");
  var timer = null;
  var RETRY_SECONDS = 30;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function later(seconds, action) {
    window.clearTimeout(timer);
    timer = window.setTimeout(action, Math.max(0, seconds) * 1000);
  }

  function ask(method) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method === "POST") {
      options.headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(statusUrl, options).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.json();
    });
  }

  function expire() {
    window.location.assign(loginUrl);
  }

  function warn(secondsLeft) {
    if (!dialog.open) {
      dialog.showModal();
      stay.focus();
    }
    later(secondsLeft, check);
  }

  function schedule(secondsLeft) {
    if (secondsLeft <= 0) {
      expire();
    } else if (secondsLeft > warning) {
      if (dialog.open) {
        dialog.close();
      }
      later(secondsLeft - warning, check);
    } else {
      warn(secondsLeft);
    }
  }

  function check() {
    ask("GET")
      .then(function (status) {
        schedule(status.seconds_left);
      })
      .catch(function () {
        later(RETRY_SECONDS, check);
      });
  }

  stay.addEventListener("click", function () {
    ask("POST")
      .then(function (status) {
        if (status.seconds_left > 0 && status.seconds_left <= warning) {
          // The absolute maximum is near: staying longer is not possible.
          limit.hidden = false;
          stay.hidden = true;
        }
        schedule(status.seconds_left);
      })
      .catch(function () {
        later(RETRY_SECONDS, check);
      });
  });

  // Escape would close the dialog without extending the session: treat it as "stay".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay.click();
  });

  var initial = parseInt(dialog.dataset.secondsLeft, 10);
  if (isNaN(initial)) {
    check();
  } else {
    schedule(initial);
  }
})();
