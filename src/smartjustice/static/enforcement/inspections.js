/* 双随机抽查结果登记 (templates/enforcement/inspections/result_form.html): the phone's GPS position into the
   latitude/longitude fields when they are empty. No libraries. */
(function () {
  "use strict";
  var form = document.querySelector("[data-inspection-form]");
  if (!form) return;
  var lat = form.querySelector("[data-gps='latitude']");
  var lng = form.querySelector("[data-gps='longitude']");
  var status = form.querySelector("[data-position-status]");
  var say = function (text) { if (status) status.textContent = text; };
  if (!lat || !lng || lat.value || lng.value) return;
  if (!("geolocation" in navigator)) { say("本机不支持定位，可手工填写经纬度"); return; }
  say("正在定位…");
  navigator.geolocation.getCurrentPosition(function (pos) {
    lat.value = pos.coords.latitude.toFixed(6);
    lng.value = pos.coords.longitude.toFixed(6);
    say("已定位（精度约 " + Math.round(pos.coords.accuracy) + " 米）");
  }, function () {
    say("未能获取位置（未授权或信号弱），可手工填写经纬度");
  }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
})();
