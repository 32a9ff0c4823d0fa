/* Region maps (templates/partials/region_map.html, core/maps.py): a choropleth of Guangdong drawn with ECharts
   from the GeoJSON vendored at setup (static/vendor/geo/). The figures are also in the table under the map, so a
   failed load only hides the drawing. Features are matched by their 12-digit code (nameProperty "code"). */
(function () {
  "use strict";
  if (window.SJRegionMap) return; // the partial may be included more than once
  var loading = {};

  function register(mapName, url) {
    if (!loading[mapName]) {
      loading[mapName] = fetch(url, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (geo) { window.echarts.registerMap(mapName, geo); });
    }
    return loading[mapName];
  }

  function draw(el) {
    if (el.getAttribute("data-region-map-drawn")) return;
    var source = document.getElementById(el.getAttribute("data-region-map"));
    if (!source || !window.echarts || !window.fetch) { el.hidden = true; return; }
    el.setAttribute("data-region-map-drawn", "1");
    var spec = JSON.parse(source.textContent);
    var names = {};
    var max = 0;
    var data = spec.regions.map(function (r) {
      names[r.code] = r.name;
      if (r.value !== null && r.value > max) max = r.value;
      return { name: r.code, value: r.value === null ? "-" : r.value };
    });
    register(spec.mapName, spec.geoUrl).then(function () {
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var value = p.value === "-" || p.value === undefined || isNaN(p.value) ? "无数据" : p.value + (spec.unit || "");
            return (names[p.name] || p.name) + "：" + value;
          },
        },
        visualMap: {
          min: 0, max: max || 1, calculable: true, left: 8, bottom: 8, itemHeight: 90,
          text: ["高", "低"], inRange: { color: ["#e7eef8", "#0f4c9b"] },
        },
        series: [{
          type: "map", map: spec.mapName, nameProperty: "code", roam: false, selectedMode: false,
          label: { show: false },
          emphasis: { label: { show: true, formatter: function (p) { return names[p.name] || p.name; } } },
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.6, areaColor: "#f1f3f5" },
          data: data,
        }],
      });
      if (spec.link) {
        el.style.cursor = "pointer";
        chart.on("click", function (p) { window.location.href = spec.link.split("{code}").join(p.name); });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () { el.hidden = true; });
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-region-map]"), draw);
  }

  window.SJRegionMap = { init: init };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
