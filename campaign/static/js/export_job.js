/* The export job page: poll the job's status and move the progress bar without reloading;
   once the job ends, reload so the page shows the download link (or what went wrong). The
   page refreshes itself without JavaScript too (meta refresh), so this only smooths it. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("job-progress");
  var count = document.getElementById("job-count");
  var refresh = document.querySelector("meta[http-equiv=refresh]");
  if (refresh) { refresh.parentNode.removeChild(refresh); }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        if (state.finished) { window.location.reload(); return; }
        bar.value = state.percent;
        if (typeof state.total === "number") {
          count.textContent = count.dataset.template.replace("{done}", state.done)
            .replace("{total}", state.total);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
