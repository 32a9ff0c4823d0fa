/* 社区矫正统计分析 and risk pages: pies, the 12-month trend lines and a risk-score history (bar charts and the map
   are drawn by app.js and region-map.js). Each chart's figures are also in a table under it. */
(function () {
  "use strict";
  function data(el, attr) {
    var source = document.getElementById(el.getAttribute(attr));
    return source ? JSON.parse(source.textContent) : null;
  }
  function draw(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart-pie]").forEach(function (el) {
      var rows = (data(el, "data-chart-pie") || []).filter(function (r) { return r.value > 0; });
      draw(el, {
        animation: false,
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b} {c}" },
                   data: rows.map(function (r) { return { name: r.name, value: r.value }; }) }],
      });
    });
    document.querySelectorAll("[data-chart-trend]").forEach(function (el) {
      var trend = data(el, "data-chart-trend");
      if (!trend) return;
      var series = [["入矫", trend.intake], ["解矫（含终止）", trend.released], ["预警", trend.alerts]]
        .filter(function (s) { return s[1]; });
      draw(el, {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
        xAxis: { type: "category", data: trend.months },
        yAxis: { type: "value", minInterval: 1 },
        series: series.map(function (s) { return { name: s[0], type: "line", data: s[1] }; }),
      });
    });
    document.querySelectorAll("[data-chart-score]").forEach(function (el) {
      var rows = data(el, "data-chart-score") || [];
      draw(el, {
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.at; }) },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [{ type: "line", step: "end", data: rows.map(function (r) { return r.score; }) }],
      });
    });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
