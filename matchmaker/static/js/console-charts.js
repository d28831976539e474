/* Draws the organiser console charts with ECharts (served from /static/vendor/echarts).
 * Each chart is a <div class="chart" data-chart="KEY" data-chart-data="JSON"> (the CSP
 * forbids inline scripts, so the data travels in the attribute);
 * the table beside each chart holds the same numbers.
 *
 * Every label stays readable at any width: the layout is computed from the container's
 * width (labels wrapped to a measured width, the chart as tall as its wrapped labels need)
 * and computed again when the container changes size. */
(function () {
  "use strict";

  var FONT = "12px sans-serif";
  var LINE = 16; // px per line of axis label

  var measure = (function () {
    var ctx = document.createElement("canvas").getContext("2d");
    return function (text) { ctx.font = FONT; return ctx.measureText(text).width; };
  })();

  /* Lines a label takes when wrapped to `width` px: CJK characters break anywhere, Latin
   * words only between words (ECharts' overflow "break" does the same). */
  function linesOf(text, width) {
    var tokens = String(text).match(/[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+/g) || [""];
    var lines = 1, used = 0;
    tokens.forEach(function (token) {
      var w = measure(token);
      if (used > 0 && used + w > width && !/^\s+$/.test(token)) { lines += 1; used = 0; }
      used += /^\s+$/.test(token) && used === 0 ? 0 : w;
    });
    return lines;
  }

  function maxLines(labels, width) {
    return labels.reduce(function (m, l) { return Math.max(m, linesOf(l, width)); }, 1);
  }

  function widest(labels) {
    return labels.reduce(function (m, l) { return Math.max(m, measure(l)); }, 0);
  }

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function wrapped(width) {
    return { interval: 0, width: width, overflow: "break", lineHeight: LINE, fontSize: 12 };
  }

  function seriesOf(data, type, extra) {
    return (data.names || Object.keys(data.series)).map(function (name) {
      var s = { name: name, type: type, data: data.series[name] };
      Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
      return s;
    });
  }

  /* Category labels of a horizontal chart: the left margin is what the longest label needs
   * (at most 40% of the width), and each row as tall as its wrapped label. */
  function rowLayout(labels, width, minRow) {
    var labelWidth = Math.round(clamp(widest(labels) + 4, 60, Math.max(60, width * 0.4)));
    var row = Math.max(minRow, maxLines(labels, labelWidth) * LINE + 10);
    return { labelWidth: labelWidth, row: row, left: labelWidth + 16 };
  }

  var builders = {
    heatmap: function (d, width) {
      var max = d.values.reduce(function (m, v) { return Math.max(m, v[2]); }, 1);
      var rows = rowLayout(d.y, width, 26);
      var plot = Math.max(60, width - rows.left - 16);
      var column = plot / Math.max(1, d.x.length);
      var xAxis = { type: "category", data: d.x, splitArea: { show: true } };
      var xArea;
      if (column >= 52) { // wrapped under each column
        xAxis.axisLabel = wrapped(column - 6);
        xArea = maxLines(d.x, column - 6) * LINE + 12;
      } else { // too narrow: upright, shortened (the cell's tooltip names it in full)
        var tall = Math.round(Math.min(widest(d.x) + 4, 130));
        xAxis.axisLabel = { interval: 0, rotate: 90, width: tall, overflow: "truncate", fontSize: 12 };
        xArea = tall + 12;
      }
      return {
        height: 16 + rows.row * d.y.length + xArea + 56,
        option: {
          tooltip: {
            position: "top",
            formatter: function (p) { return d.y[p.value[1]] + " × " + d.x[p.value[0]] + ": " + p.value[2]; }
          },
          grid: { left: rows.left, right: 16, top: 16, bottom: xArea + 56 },
          xAxis: xAxis,
          yAxis: { type: "category", data: d.y, inverse: true, splitArea: { show: true },
                   axisLabel: wrapped(rows.labelWidth) },
          visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                       itemHeight: Math.min(140, width * 0.4) },
          series: [{ type: "heatmap", data: d.values, label: { show: true } }]
        }
      };
    },
    lines: function (d, width) {
      var wide = width / Math.max(1, d.x.length) >= measure("2026-12") + 12;
      return {
        height: 320,
        option: {
          tooltip: { trigger: "axis" }, legend: { top: 0 },
          grid: { left: 40, right: 16, top: 36, bottom: wide ? 32 : 64 },
          xAxis: { type: "category", data: d.x, axisLabel: wide ? { interval: 0 } : { rotate: 45, hideOverlap: true } },
          yAxis: { type: "value", minInterval: 1 },
          series: seriesOf(d, "line", { showAllSymbol: true, symbolSize: 6 })
        }
      };
    },
    funnel: function (d) {
      return {
        height: 320,
        option: {
          tooltip: { trigger: "item" },
          series: [{ type: "funnel", sort: "none", left: "10%", width: "80%",
                     label: { show: true, position: "inside", formatter: "{b}  {c}" },
                     data: d.x.map(function (name, i) { return { name: name, value: d.values[i] }; }) }]
        }
      };
    },
    hbars: function (d, width) {
      var rows = rowLayout(d.x, width, 30);
      return {
        height: rows.row * d.x.length + 48,
        option: {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          grid: { left: rows.left, right: 36, top: 8, bottom: 32 },
          yAxis: { type: "category", data: d.x, inverse: true, axisLabel: wrapped(rows.labelWidth) },
          xAxis: { type: "value", minInterval: 1 },
          series: [{ type: "bar", data: d.values, barMaxWidth: 22, label: { show: true, position: "right" } }]
        }
      };
    },
    hgrouped: function (d, width) {
      var groups = Object.keys(d.series).length;
      var rows = rowLayout(d.x, width, groups * 10 + 16);
      return {
        height: rows.row * d.x.length + 80,
        option: {
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
          grid: { left: rows.left, right: 24, top: 48, bottom: 32 },
          yAxis: { type: "category", data: d.x, inverse: true, axisLabel: wrapped(rows.labelWidth) },
          xAxis: { type: "value", minInterval: 1 },
          series: seriesOf(d, "bar", { barMaxWidth: 10 })
        }
      };
    }
  };

  function draw(el) {
    var raw = el.getAttribute("data-chart-data");
    if (!raw || typeof echarts === "undefined") { return; }
    var data = JSON.parse(raw);
    var build = builders[data.type];
    if (!build) { return; }
    var chart = null, lastWidth = -1;
    // the canvas must not hold its grid cell open when the page narrows (min-width: auto)
    el.style.minWidth = "0";

    function layout() {
      var width = el.clientWidth;
      if (!width || width === lastWidth) { return; }
      lastWidth = width;
      var built = build(data, width);
      el.style.height = built.height + "px"; // CSSOM, which the CSP allows
      if (chart === null) { chart = echarts.init(el, null, { renderer: "canvas" }); }
      chart.setOption(built.option, true);
      chart.resize();
    }

    layout();
    var pending = false;
    function later() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; layout(); });
    }
    if (typeof ResizeObserver !== "undefined") { new ResizeObserver(later).observe(el); }
    window.addEventListener("resize", later);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), draw);
  });
})();
