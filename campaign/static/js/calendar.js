// Drag an event bar to another day of the month calendar (officers). The drop posts the move
// form (the same one the 改期 page offers as the keyboard alternative): the server keeps the
// event's length and time of day.
(function () {
  "use strict";
  var calendar = document.getElementById("calendar");
  var form = document.getElementById("move-form");
  if (!calendar || !form) { return; }
  var dragged = null;

  function dayAt(week, x) {
    var box = week.getBoundingClientRect();
    var column = Math.min(7, Math.max(1, Math.floor((x - box.left) / (box.width / 7)) + 1));
    var cell = week.querySelector(".cal-date.col-" + column);
    return cell ? cell.getAttribute("data-date") : null;
  }

  calendar.addEventListener("dragstart", function (event) {
    var bar = event.target.closest && event.target.closest("a.cal-bar[data-move]");
    if (!bar) { return; }
    dragged = bar;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", bar.getAttribute("data-event"));
  });
  calendar.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest(".cal-week")) { event.preventDefault(); }
  });
  calendar.addEventListener("drop", function (event) {
    var week = event.target.closest(".cal-week");
    if (!dragged || !week) { return; }
    event.preventDefault();
    var day = dayAt(week, event.clientX);
    // The bar's first day in this week, moved by as many days as the drop is from the grab.
    if (!day || day === dragged.getAttribute("data-first")) { dragged = null; return; }
    form.action = dragged.getAttribute("data-move");
    form.querySelector("input[name=date]").value = shift(dragged, day);
    dragged = null;
    form.submit();
  });
  calendar.addEventListener("dragend", function () { dragged = null; });

  function shift(bar, day) {
    // The bar may be a later week's piece of a longer event: move the event's start by the
    // days between the piece's first day and the drop day.
    var start = new Date(bar.getAttribute("data-start") + "T00:00:00Z");
    var days = (new Date(day + "T00:00:00Z") - new Date(bar.getAttribute("data-first") + "T00:00:00Z")) / 86400000;
    start.setUTCDate(start.getUTCDate() + days);
    return start.toISOString().slice(0, 10);
  }
})();
