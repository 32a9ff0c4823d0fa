/* Offline location maps of 社区矫正 (correction/location_maps.py): the county boundary and fences as an ECharts
   geo map registered from inline GeoJSON (no tile server), points on top. Modes:
   - alert: the alert's fence, the stored points around it and the evidence points (larger, red) with distances;
   - track: replay of a subject's history with a slider and a play button;
   - editor: click to add vertices of a polygon; "闭合" writes GeoJSON into the form's geometry field.
   The same figures are in a table on every page, so a browser without JavaScript loses only the drawing. */
(function () {
  "use strict";
  var COLORS = {
    county: "#f1f3f5", allowed: "#dbe9f8", forbidden: "#f8d7da", curfew: "#fff3cd", editing: "#d1e7dd",
  };

  function fmtTime(t) {
    if (!t) return "";
    var d = new Date(t);
    if (isNaN(d.getTime())) return t;
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }

  function regions(spec) {
    return spec.geo.features.map(function (f) {
      var role = f.properties.role;
      return {
        name: f.properties.name,
        itemStyle: { areaColor: COLORS[role] || "#e9ecef", borderColor: role === "county" ? "#6c757d" : "#0f4c9b",
                     borderWidth: role === "county" ? 1 : 1.5 },
        label: { show: false },
      };
    });
  }

  function pointData(points, evidence) {
    return points.filter(function (p) { return !!p.evidence === evidence; }).map(function (p) {
      return { value: [p.lon, p.lat], t: p.t, accuracy: p.accuracy_m, distance: p.distance_m };
    });
  }

  function tooltip(p) {
    var d = p.data || {};
    if (!d.value) return p.name || "";
    var text = fmtTime(d.t) + "<br>经纬度：" + d.value[0].toFixed(5) + ", " + d.value[1].toFixed(5);
    if (d.accuracy !== null && d.accuracy !== undefined) text += "<br>精度：" + Math.round(d.accuracy) + " 米";
    if (d.distance !== null && d.distance !== undefined) text += "<br>离边界：" + Math.round(d.distance) + " 米";
    return text;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-location-map"));
    if (!source || !window.echarts) { el.hidden = true; return; }
    var spec = JSON.parse(source.textContent);
    var mapName = "sj-location-" + spec.key;
    window.echarts.registerMap(mapName, spec.geo);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var base = {
      animation: false,
      tooltip: { trigger: "item", formatter: tooltip },
      geo: { map: mapName, roam: true, regions: regions(spec), emphasis: { disabled: true },
             itemStyle: { areaColor: "#e9ecef", borderColor: "#0f4c9b" } },
      series: [],
    };
    var track = spec.points.filter(function (p) { return !p.evidence; });
    if (spec.mode === "alert") {
      base.series = [
        { type: "lines", coordinateSystem: "geo", polyline: true, silent: true,
          lineStyle: { color: "#6c757d", width: 1.5, opacity: 0.7 },
          data: track.length > 1 ? [{ coords: track.map(function (p) { return [p.lon, p.lat]; }) }] : [] },
        { name: "定位点", type: "scatter", coordinateSystem: "geo", symbolSize: 5, itemStyle: { color: "#6c757d" },
          data: pointData(spec.points, false) },
        { name: "触发预警的定位点", type: "scatter", coordinateSystem: "geo", symbolSize: 11,
          itemStyle: { color: "#dc3545", borderColor: "#fff", borderWidth: 1 }, data: pointData(spec.points, true) },
      ];
      chart.setOption(base);
      return;
    }
    if (spec.mode === "track") {
      var coords = track.map(function (p) { return [p.lon, p.lat]; });
      var slider = document.getElementById(el.getAttribute("data-replay-slider"));
      var label = document.getElementById(el.getAttribute("data-replay-label"));
      var button = document.getElementById(el.getAttribute("data-replay-play"));
      var show = function (i) {
        var upto = coords.slice(0, i + 1);
        chart.setOption({ series: [
          { type: "lines", coordinateSystem: "geo", polyline: true, silent: true,
            lineStyle: { color: "#0f4c9b", width: 2 }, data: upto.length > 1 ? [{ coords: upto }] : [] },
          { name: "定位点", type: "scatter", coordinateSystem: "geo", symbolSize: 4, itemStyle: { color: "#0f4c9b" },
            data: pointData(track.slice(0, i + 1), false) },
          { name: "当前位置", type: "effectScatter", coordinateSystem: "geo", symbolSize: 12,
            itemStyle: { color: "#dc3545" }, data: track.length ? pointData([track[i]], false) : [] },
        ] });
        if (label && track.length) label.textContent = fmtTime(track[i].t) + "（第 " + (i + 1) + " / " + track.length + " 个点）";
      };
      chart.setOption(base);
      if (!track.length) return;
      if (slider) {
        slider.max = String(track.length - 1);
        slider.value = String(track.length - 1);
        slider.disabled = false;
        slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
      }
      var timer = null;
      if (button) {
        button.disabled = false;
        button.addEventListener("click", function () {
          if (timer) { clearInterval(timer); timer = null; button.textContent = "回放"; return; }
          var i = slider && parseInt(slider.value, 10) < track.length - 1 ? parseInt(slider.value, 10) : 0;
          button.textContent = "暂停";
          var step = Math.max(1, Math.round(track.length / 300));
          timer = setInterval(function () {
            i = Math.min(track.length - 1, i + step);
            if (slider) slider.value = String(i);
            show(i);
            if (i >= track.length - 1) { clearInterval(timer); timer = null; button.textContent = "回放"; }
          }, 60);
        });
      }
      show(track.length - 1);
      return;
    }
    // editor
    var vertices = [];
    var field = document.querySelector("[data-fence-geometry]");
    var redraw = function () {
      var ring = vertices.length > 2 ? vertices.concat([vertices[0]]) : vertices;
      chart.setOption({ series: [
        { type: "lines", coordinateSystem: "geo", polyline: true, silent: true, lineStyle: { color: "#198754", width: 2 },
          data: ring.length > 1 ? [{ coords: ring }] : [] },
        { type: "scatter", coordinateSystem: "geo", symbolSize: 8, itemStyle: { color: "#198754" },
          data: vertices.map(function (v) { return { value: v }; }) },
      ] });
    };
    chart.setOption(base);
    chart.getZr().on("click", function (event) {
      var coord = chart.convertFromPixel("geo", [event.offsetX, event.offsetY]);
      if (!coord) return;
      vertices.push([Math.round(coord[0] * 1e6) / 1e6, Math.round(coord[1] * 1e6) / 1e6]);
      redraw();
    });
    var close = document.getElementById(el.getAttribute("data-editor-close"));
    var clear = document.getElementById(el.getAttribute("data-editor-clear"));
    if (close) {
      close.disabled = false;
      close.addEventListener("click", function () {
        if (vertices.length < 3 || !field) return;
        field.value = JSON.stringify({ type: "Polygon", coordinates: [vertices.concat([vertices[0]])] });
        field.dispatchEvent(new Event("change"));
      });
    }
    if (clear) {
      clear.disabled = false;
      clear.addEventListener("click", function () { vertices = []; redraw(); });
    }
  }

  function init() {
    document.querySelectorAll("[data-location-map]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
