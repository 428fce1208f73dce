// The review queue with the keyboard: j/k (or the arrows) move between rows, a accepts,
// r rejects, m picks another event, x ticks the row, Shift+X ticks or unticks every row,
// Shift+A accepts the ticked rows, u undoes the last decision (the page then reloads with the
// rows it put back), ? shows the keys. Every action is the row's own form, posted with fetch (JSON answer);
// without this script the same forms post normally.
(function () {
  "use strict";
  var table = document.getElementById("review-queue");
  if (!table) { return; }
  var statusBox = document.getElementById("review-status");
  var remainingBox = document.getElementById("review-remaining");
  var emptyBox = document.getElementById("review-empty");
  var help = document.getElementById("review-help");
  var bulkForm = document.getElementById("bulk-form");
  var undoForm = document.getElementById("undo-form");
  var selectAll = document.getElementById("select-all");
  var current = -1;

  function rows() { return Array.prototype.slice.call(table.querySelectorAll("tbody .review-row")); }

  function focusRow(index) {
    var all = rows();
    if (!all.length) { current = -1; return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("focused", i === current); });
    all[current].focus();
  }

  function currentRow() {
    var all = rows();
    var active = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".review-row");
    if (active && all.indexOf(active) >= 0) { current = all.indexOf(active); }
    if (current < 0 && all.length) { focusRow(0); }
    return all[current] || null;
  }

  function say(message, isError) {
    statusBox.textContent = message;
    statusBox.classList.toggle("error", !!isError);
  }

  function afterDecision(data, removed) {
    removed.forEach(function (row) {
      var index = rows().indexOf(row);
      row.parentNode.removeChild(row);
      if (index >= 0 && index < current) { current -= 1; }
    });
    if (remainingBox && typeof data.remaining === "number") { remainingBox.textContent = data.remaining; }
    if (undoForm && data.undo) { undoForm.hidden = false; }
    if (selectAll) { selectAll.checked = false; }
    say(data.message || "");
    if (!rows().length && document.getElementById("review-pager") &&
        typeof data.remaining === "number" && data.remaining > 0) {
      // The page is done but other pages wait: show what is now the page here.
      window.location.reload();
      return;
    }
    if (!rows().length) {
      table.hidden = true;
      if (bulkForm) { bulkForm.hidden = true; }
      if (emptyBox) { emptyBox.hidden = false; }
      return;
    }
    focusRow(current < 0 ? 0 : current);
  }

  function send(form, extra, removed) {
    var body = new FormData(form);
    Object.keys(extra || {}).forEach(function (key) { body.append(key, extra[key]); });
    removed.forEach(function (row) { row.classList.add("busy"); });
    return window.postForJSON(form.getAttribute("action"), body)
      .then(function (result) {
        if (!result.ok || !result.data.ok) {
          removed.forEach(function (row) { row.classList.remove("busy"); });
          say((result.data && result.data.message) || "", true);
          return;
        }
        afterDecision(result.data, removed);
      })
      .catch(function () {
        removed.forEach(function (row) { row.classList.remove("busy"); });
        say(statusBox.getAttribute("data-failed") || "×", true);
      });
  }

  function rowForm(row, kind) { return row && row.querySelector("form.js-" + kind); }

  function decideCurrent(kind) {
    var row = currentRow();
    var form = rowForm(row, kind);
    if (form) { send(form, null, [row]); }
  }

  function checkedRows() {
    return rows().filter(function (row) {
      var box = row.querySelector("input.js-select");
      return box && box.checked;
    });
  }

  // Clicks on the row forms go through fetch too.
  table.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest(".review-row");
    if (!row) { return; }
    event.preventDefault();
    focusRow(rows().indexOf(row));
    send(form, null, [row]);
  });

  if (bulkForm) {
    bulkForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = event.submitter;
      bulk(button ? button.value : "accept");
    });
  }

  function bulk(action) {
    if (!bulkForm) { return; }
    var chosen = checkedRows();
    if (!chosen.length) {
      say(statusBox.getAttribute("data-none-chosen") || "", true);
      return;
    }
    send(bulkForm, { action: action }, chosen);
  }

  function tickAll(on) {
    rows().forEach(function (row) {
      var box = row.querySelector("input.js-select");
      if (box) { box.checked = on; }
    });
    if (selectAll) { selectAll.checked = on; }
  }

  if (selectAll) {
    selectAll.addEventListener("change", function () { tickAll(selectAll.checked); });
  }

  function undo() {
    if (!undoForm || undoForm.hidden) { return; }
    window.postForJSON(undoForm.getAttribute("action"), new FormData(undoForm))
      .then(function (result) {
        if (!result.ok || !result.data.ok) {
          say((result.data && result.data.message) || "", true);
          undoForm.hidden = true;
          return;
        }
        window.location.reload();
      })
      .catch(function () { say(statusBox.getAttribute("data-failed") || "×", true); });
  }

  if (undoForm) {
    undoForm.addEventListener("submit", function (event) {
      event.preventDefault();
      undo();
    });
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && target.type !== "checkbox");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target.tagName === "SELECT" && target.classList.contains("move-select")) {
      if (event.key === "Enter" && target.value) {
        event.preventDefault();
        var row = target.closest(".review-row");
        send(target.form, null, [row]);
      } else if (event.key === "Escape") {
        var back = target.closest(".review-row");
        if (back) { back.focus(); }
      }
      return;
    }
    if (typing(target)) { return; }
    var handled = true;
    var row;
    switch (event.key) {
      case "j": case "ArrowDown": focusRow(current + 1); break;
      case "k": case "ArrowUp": focusRow(current - 1); break;
      case "a": decideCurrent("accept"); break;
      case "r": decideCurrent("reject"); break;
      case "m":
        row = currentRow();
        if (row && row.querySelector("select.move-select")) { row.querySelector("select.move-select").focus(); }
        break;
      case "x":
        row = currentRow();
        var box = row && row.querySelector("input.js-select");
        if (box) { box.checked = !box.checked; }
        break;
      case "A": bulk("accept"); break;
      case "X": tickAll(!(selectAll && selectAll.checked)); break;
      case "u": undo(); break;
      case "?": help.hidden = !help.hidden; break;
      case "Escape": help.hidden = true; break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  table.addEventListener("click", function (event) {
    var row = event.target.closest(".review-row");
    if (!row) { return; }
    current = rows().indexOf(row);
    rows().forEach(function (r) { r.classList.toggle("focused", r === row); });
  });
})();
