// 共享统计: monthly gathered/shared records as a grouped bar chart (ECharts is loaded by the page).
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("hub-monthly-chart");
    var source = document.getElementById("hub-monthly-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: ["汇聚", "共享"] },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "汇聚", type: "bar", data: data.gathered, itemStyle: { color: "#0f4c9b" } },
        { name: "共享", type: "bar", data: data.shared, itemStyle: { color: "#2f9e44" } },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
