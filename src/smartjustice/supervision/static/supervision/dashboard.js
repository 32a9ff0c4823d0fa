/* 执法监督 dashboard: the pie of 督办 by state (bar charts and the map are drawn by app.js and region-map.js). */
(function () {
  "use strict";
  function init() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart-pie]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart-pie"));
      if (!source) return;
      var rows = JSON.parse(source.textContent).filter(function (r) { return r.value > 0; });
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b} {c}" },
                   data: rows.map(function (r) { return { name: r.name, value: r.value }; }) }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
