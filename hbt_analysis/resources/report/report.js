/* hbt-analysis report page: draw the charts after the text has painted, fit them to phones
   and to the printed page, and show a cue on tables that scroll sideways. */
(function () {
  "use strict";
  var cfg = window.HBT_REPORT || {};
  var CONFIG = { displayModeBar: false, responsive: true, displaylogo: false, scrollZoom: false };
  var PRINT_WIDTH = 680; /* A4 portrait less the page margins, in CSS pixels */

  function narrow(width) { return width < 560; }

  function adaptData(data, width) {
    if (narrow(width)) {  /* names printed beside points overlap on a phone: hover instead */
      data.forEach(function (t) {
        if (t.meta === "names" && t.mode) { t.mode = t.mode.replace("+text", ""); }
      });
    }
    return data;
  }

  function adapt(layout, width) {
    layout = layout || {};
    layout.autosize = true;
    delete layout.width;
    var m = layout.margin || {};
    var plotHeight = (layout.height || 450) - (m.t || 30) - (m.b || 60);
    /* the legend below the plot, a fixed ~70 px under it (ticks and axis title) */
    var below = -Math.min(0.45, 72 / Math.max(plotHeight, 120));
    layout.legend = Object.assign({}, layout.legend || {}, {
      orientation: "h", x: 0, xanchor: "left", y: below, yanchor: "top" });
    if (narrow(width)) {
      /* the side margins go to the plot, except the room a chart keeps on the right for
         the labels beside its right-most points (charts.py: layout.meta.label_room) */
      var room = (layout.meta && layout.meta.label_room) || 0;
      layout.legend.font = { size: 11 };
      layout.margin = Object.assign({}, m, { l: 8, r: Math.max(8, room) });
      layout.font = Object.assign({}, layout.font || {}, { size: 11 });
    }
    return layout;
  }

  function figures() { return document.querySelectorAll("script.hbt-fig-data"); }

  var printing = false;

  /* Draw again whenever the chart's box changes width (a phone turned, the page laid out
     again, a window narrowed before a screenshot): plotly draws at the width its box has
     when it is drawn, and what falls outside the box is cut. */
  function followWidth(el, holder, width) {
    if (!window.ResizeObserver) { return; }
    var last = width;
    new ResizeObserver(function () {
      var now = el.clientWidth;
      if (printing || !now || Math.abs(now - last) < 2) { return; }
      last = now;
      var fig = JSON.parse(holder.textContent);
      window.Plotly.react(el, adaptData(fig.data, now), adapt(fig.layout, now), CONFIG);
    }).observe(el);
  }

  function render() {
    var drawn = 0;
    figures().forEach(function (holder) {
      var el = document.getElementById(holder.getAttribute("data-for"));
      if (!el || el.getAttribute("data-drawn")) { return; }
      var fig = JSON.parse(holder.textContent);
      el.innerHTML = "";
      var width = el.clientWidth;
      window.Plotly.newPlot(el, adaptData(fig.data, width), adapt(fig.layout, width), CONFIG);
      el.setAttribute("data-drawn", "1");
      followWidth(el, holder, width);
      drawn += 1;
    });
    window.hbtChartsDrawnAt = performance.now();
    window.hbtChartsDrawn = drawn;
  }

  function failed() {
    document.querySelectorAll(".hbt-chart-wait").forEach(function (p) {
      p.textContent = cfg.missing || "Chart script missing.";
    });
  }

  function loadPlotly() {
    if (window.Plotly) { return render(); }
    var inline = document.getElementById("hbt-plotly-src");
    var s = document.createElement("script");
    if (inline) {
      s.text = inline.textContent;
      document.head.appendChild(s);
      return window.Plotly ? render() : failed();
    }
    if (!cfg.plotly) { return; }
    s.src = cfg.plotly;
    s.onload = render;
    s.onerror = failed;
    document.head.appendChild(s);
  }

  /* A table wider than its box (a phone, a printed page) is shown as cards, one per row,
     each cell under its column's name (the cells' data-label), instead of a table to
     scroll sideways or cut at the paper's edge. Measured at the table's natural width,
     again whenever the page is laid out anew (a phone turned, a fold opened, printing). */
  function stackWide() {
    document.querySelectorAll(".hbt-scroll > table.hbt-tbl").forEach(function (table) {
      var box = table.parentNode;
      if (!box.clientWidth) { return; }  /* folded away: measured when opened */
      table.classList.remove("hbt-stacked");
      var wide = table.getBoundingClientRect().width > box.clientWidth + 2;
      table.classList.toggle("hbt-stacked", wide);
    });
  }

  function scrollCues() {
    stackWide();
    document.querySelectorAll(".hbt-scroll").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 2;
      box.classList.toggle("hbt-scrollable", wide);
      var hint = box.nextElementSibling;
      if (wide && !(hint && hint.classList.contains("hbt-swipe"))) {
        hint = document.createElement("p");
        hint.className = "hbt-swipe";
        hint.textContent = cfg.swipe || "← scroll →";
        box.parentNode.insertBefore(hint, box.nextSibling);
      }
      if (hint && hint.classList.contains("hbt-swipe")) { hint.classList.toggle("on", wide); }
    });
  }

  function eachChart(fn) {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".hbt-chart[data-drawn]").forEach(fn);
  }

  /* a browser without ::details-content prints a closed fold closed: open the requests'
     folds for the paper (report.css shows only their first opinions there) */
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    printing = true;
    document.querySelectorAll("details.hbt-item:not([open])").forEach(function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
    stackWide();
    eachChart(function (el) { window.Plotly.relayout(el, { width: PRINT_WIDTH }); });
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
    scrollCues();  /* the screen's width again */
    eachChart(function (el) {
      window.Plotly.relayout(el, { width: null, autosize: true });
      window.Plotly.Plots.resize(el);
    });
  });

  function start() {
    scrollCues();
    if (!figures().length) { window.hbtChartsDrawnAt = 0; window.hbtChartsDrawn = 0; return; }
    /* printed (hbt report --pdf opens the page with ?print): draw at once, since a headless
       printer may never run an animation frame before it prints */
    if (/[?&]print\b/.test(window.location.search)) { return loadPlotly(); }
    /* after the first paint: the text is on screen before plotly.js is parsed */
    requestAnimationFrame(function () { setTimeout(loadPlotly, 0); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", scrollCues);
  /* a fold opened: its table is measured now that it has a width */
  document.addEventListener("toggle", scrollCues, true);
  /* printing from a browser lays the page out at the paper's width */
  if (window.matchMedia) {
    var paper = window.matchMedia("print");
    var onPaper = function () { stackWide(); };
    if (paper.addEventListener) { paper.addEventListener("change", onPaper); }
    else if (paper.addListener) { paper.addListener(onPaper); }
  }
})();
