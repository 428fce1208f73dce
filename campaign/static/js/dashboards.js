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
      // On a phone the modebar is always shown: room for it above the plot.
      margin: {l: 8, r: 8, t: isNarrow ? 30 : 8, b: 8, pad: 2},
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

  // The modebar holds one button, "download as PNG": nothing that links to or uploads to
  // plotly's cloud (offices are offline, and coverage data stays in the office), and no
  // zoom/pan/select (the axes are fixed; on a phone those buttons are only clutter).
  var MODEBAR = [["toImage"]];
  var CLOUD_OFF = {showLink: false, showSendToCloud: false, showEditInChartStudio: false,
                   displaylogo: false, plotlyServerURL: "",
                   modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio"]};

  // plotly's own strings for what the modebar can still show, in the page's language
  // (registered here: plotly's locale files are not in the bundle the app serves).
  var LOCALES = {
    "zh-CN": {
      "Download plot as a PNG": "下载图表（PNG）",
      "Download plot": "下载图表",
      "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
      "Image download succeeded": "图片已下载",
      "Sorry, there was a problem downloading your image!": "图片下载失败。"
    }
  };
  var lang = document.documentElement.getAttribute("lang");
  var locale = LOCALES[lang] ? lang : "en-US";
  if (LOCALES[lang]) {
    window.Plotly.register({moduleType: "locale", name: lang, dictionary: LOCALES[lang]});
  }

  function config(isNarrow) {
    // On a phone there is no hover, so the one button stays in view.
    return Object.assign({responsive: true, scrollZoom: false,
                          displayModeBar: isNarrow ? true : "hover",
                          modeBarButtons: MODEBAR,
                          toImageButtonOptions: {format: "png", scale: 2}},
                         CLOUD_OFF, {locale: locale});
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
