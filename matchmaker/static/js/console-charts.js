/* Draws the organiser console charts with ECharts (served from /static/vendor/echarts).
 * Each chart is a <div class="chart" data-chart="KEY" data-chart-data="JSON"> (the CSP
 * forbids inline scripts, so the data travels in the attribute);
 * the table beside each chart holds the same numbers. */
(function () {
  "use strict";

  function axis(names) {
    return { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } };
  }

  function seriesOf(data, type) {
    return Object.keys(data.series).map(function (name) {
      return { name: name, type: type, data: data.series[name] };
    });
  }

  var builders = {
    heatmap: function (d) {
      var max = d.values.reduce(function (m, v) { return Math.max(m, v[2]); }, 1);
      return {
        tooltip: { position: "top" },
        grid: { left: 120, bottom: 90 },
        xAxis: axis(d.x),
        yAxis: { type: "category", data: d.y },
        visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
        series: [{ type: "heatmap", data: d.values, label: { show: true } }]
      };
    },
    lines: function (d) {
      return { tooltip: { trigger: "axis" }, legend: {}, xAxis: axis(d.x), yAxis: { type: "value", minInterval: 1 },
               series: seriesOf(d, "line") };
    },
    funnel: function (d) {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "none", label: { show: true, position: "inside" },
                   data: d.x.map(function (name, i) { return { name: name, value: d.values[i] }; }) }]
      };
    },
    bars: function (d) {
      return { tooltip: { trigger: "axis" }, grid: { bottom: 110 }, xAxis: axis(d.x),
               yAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: d.values }] };
    },
    grouped: function (d) {
      return { tooltip: { trigger: "axis" }, legend: {}, grid: { bottom: 90 }, xAxis: axis(d.x),
               yAxis: { type: "value", minInterval: 1 }, series: seriesOf(d, "bar") };
    }
  };

  function draw(el) {
    var raw = el.getAttribute("data-chart-data");
    if (!raw || typeof echarts === "undefined") { return; }
    var data = JSON.parse(raw);
    var build = builders[data.type];
    if (!build) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-chart]"), draw);
  });
})();
