// Small progressive enhancements; every page works without them.

// POST a form's data as the page's own scripts do (review.js, links.js): with the page's CSRF
// token, asking for JSON. Resolves to {ok: the HTTP status was 2xx, data: the JSON answer};
// rejects when the request failed or the answer was not JSON.
window.postForJSON = function (url, body) {
  "use strict";
  var headers = { "Accept": "application/json" };
  var tokenMeta = document.querySelector("meta[name=csrf-token]");
  if (tokenMeta) { headers["X-CSRFToken"] = tokenMeta.getAttribute("content"); }
  return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
    .then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
};

(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Filter forms folded on a phone are open on a wider screen.
  if (window.matchMedia("(min-width: 601px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (box) {
      box.open = true;
    });
  }

  var form = document.getElementById("event-form");
  if (!form) { return; }
  var type = form.querySelector("select[name=type]");
  var slot = document.getElementById("slot-fields");
  var allDay = form.querySelector("input[name=all_day]");
  function sync() {
    if (slot && type) { slot.hidden = type.value !== "editorial_slot"; }
    if (allDay) {
      ["start_time", "end_time"].forEach(function (name) {
        var box = document.getElementById("field-" + name);
        if (box) { box.hidden = allDay.checked; }
      });
    }
  }
  if (type) { type.addEventListener("change", sync); }
  if (allDay) { allDay.addEventListener("change", sync); }
  sync();
})();
