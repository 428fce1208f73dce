// Paste-links with progress: the links are sent one by one (POST .../links/one, JSON answer),
// a bar and "已处理 n / total" show how far it got, and each link's row says what became of
// it. A link that could not be read gets the by-hand form (title, outlet, date). Scraped text
// is written as text, never as HTML. Without this script the form posts all links at once.
(function () {
  "use strict";
  var form = document.getElementById("links-form");
  if (!form) { return; }
  var results = document.getElementById("links-results");
  var body = results.querySelector("tbody");
  var progress = document.getElementById("links-progress");
  var bar = document.getElementById("links-bar");
  var count = document.getElementById("links-count");
  var words = document.getElementById("link-words");
  var handTemplate = document.getElementById("by-hand-template");

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text || "";
    row.appendChild(td);
    return td;
  }

  function showCount(done, total) {
    bar.max = total;
    bar.value = done;
    count.textContent = count.getAttribute("data-template")
      .replace("{done}", done).replace("{total}", total);
  }

  function byHand(data, eventKey) {
    var fragment = handTemplate.content.cloneNode(true);
    var handForm = fragment.querySelector("form");
    handForm.querySelector("input[name=url]").value = data.url;
    handForm.querySelector("input[name=event]").value = eventKey;
    handForm.querySelector("input[name=title]").value = data.title || "";
    handForm.querySelector("input[name=date]").value = data.date || "";
    return fragment;
  }

  function addRow(data, eventKey) {
    var row = document.createElement("tr");
    row.className = "link-row";
    row.setAttribute("data-status", data.status);
    cell(row, data.url).className = "link-url";
    cell(row, data.done ? words.getAttribute("data-" + data.status) : data.message);
    var titleCell = cell(row, "");
    if (data.done && data.article) {
      var link = document.createElement("a");
      link.href = data.article;
      link.textContent = data.title;
      titleCell.appendChild(link);
    } else if (data.status !== "invalid") {
      titleCell.appendChild(byHand(data, eventKey));
    }
    cell(row, data.outlet);
    body.appendChild(row);
  }

  function sendOne(url) {
    var data = new FormData();
    data.append("url", url);
    data.append("event", form.elements.event.value);
    data.append("outlet_id", form.elements.outlet_id.value);
    return window.postForJSON(form.getAttribute("data-one-url"), data)
      .then(function (result) { return result.data; })
      .catch(function () { return { url: url, status: "failed", message: words.getAttribute("data-failed") }; });
  }

  form.addEventListener("submit", function (event) {
    var links = form.elements.links.value.split(/\s+/).filter(function (s) { return s; });
    links = links.filter(function (s, i) { return links.indexOf(s) === i; });
    if (!links.length || !form.elements.event.value) { return; }  // the server says what is missing
    event.preventDefault();
    var eventKey = form.elements.event.value;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progress.hidden = false;
    results.hidden = false;
    var done = 0;
    showCount(0, links.length);
    links.reduce(function (chain, url) {
      return chain.then(function () {
        return sendOne(url).then(function (data) {
          if (data.ok === false && !data.status) { data = { url: url, status: "invalid", message: data.message }; }
          addRow(data, eventKey);
          done += 1;
          showCount(done, links.length);
        });
      });
    }, Promise.resolve()).then(function () {
      button.disabled = false;
      form.elements.links.value = "";
    });
  });
})();
