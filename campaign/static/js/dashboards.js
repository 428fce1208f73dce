// Dashboards: draw the charts whose plotly specs the page carries as JSON (no inline script),
// fitted to the screen; a click on a point opens the list of pieces behind it.
(function () {
  "use strict";
  var block = document.getElementById("dashboard-charts");
  if (!block || !window.Plotly) { return; }
  var specs = JSON.parse(block.textContent || "{}");
  var narrow = window.matchMedia("(max-width: 600px)");
  var FONT = '-apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", ' +
    '"Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

  function axis(base, isNarrow) {
    var out = Object.assign({automargin: true, fixedrange: true}, base || {});
    if (isNarrow && out.type === "date") { out.nticks = 5; }
    if (isNarrow && out.type !== "category") { out.title = null; }
    if (isNarrow && out.type === "category") { out.tickfont = {size: 10}; }
    return out;
  }

  function layoutFor(spec, isNarrow) {
    var base = spec.layout || {};
    var layout = Object.assign({}, base, {
      autosize: true,
      height: base.height || (isNarrow ? 300 : 340),
      margin: {l: 8, r: 8, t: 8, b: 8, pad: 2},
      font: {family: FONT, size: isNarrow ? 11 : 12, color: "#1f2328"},
      legend: {orientation: "h", x: 0, xanchor: "left", y: -0.12, yanchor: "top"},
      hoverlabel: {namelength: -1},
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fff",
      dragmode: false
    });
    layout.xaxis = axis(base.xaxis, isNarrow);
    layout.yaxis = axis(base.yaxis, isNarrow);
    if (layout.showlegend !== false && spec.data.length > 1) {
      layout.margin.b = isNarrow ? 56 : 48;
    }
    return layout;
  }

  function config(isNarrow) {
    return {responsive: true, displaylogo: false, scrollZoom: false,
            displayModeBar: isNarrow ? false : "hover",
            modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d",
                                     "zoomIn2d", "zoomOut2d", "autoScale2d"]};
  }

  function isLocal(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function draw(div, spec, isNarrow) {
    return window.Plotly.react(div, spec.data, layoutFor(spec, isNarrow), config(isNarrow))
      .then(function () { div.setAttribute("data-rendered", "1"); });
  }

  var drawn = [];
  Object.keys(specs).forEach(function (name) {
    var div = document.getElementById("chart-" + name);
    if (!div) { return; }
    draw(div, specs[name], narrow.matches).then(function () {
      div.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        if (point && isLocal(point.customdata)) { window.location.assign(point.customdata); }
      });
    });
    drawn.push([div, specs[name]]);
  });

  function redraw() {
    drawn.forEach(function (pair) { draw(pair[0], pair[1], narrow.matches); });
  }
  if (narrow.addEventListener) { narrow.addEventListener("change", redraw); }
})();
