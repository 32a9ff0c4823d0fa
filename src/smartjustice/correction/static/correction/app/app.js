/* 粤矫通 (templates/correction/app): the service worker, the phone's position into hidden fields, photo previews.
   No libraries. */
(function () {
  "use strict";

  var shell = document.querySelector("[data-service-worker]");
  if (shell && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(shell.getAttribute("data-service-worker"), {
      scope: shell.getAttribute("data-app-scope")
    }).catch(function () { /* the app works without it */ });
  }

  function fillPosition(form) {
    var status = form.querySelector("[data-position-status]");
    var say = function (text) { if (status) status.textContent = text; };
    if (!("geolocation" in navigator)) { say("本机不支持定位，签到时将不记录位置"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("input[name='latitude']").value = pos.coords.latitude.toFixed(6);
      form.querySelector("input[name='longitude']").value = pos.coords.longitude.toFixed(6);
      var accuracy = form.querySelector("input[name='accuracy_m']");
      if (accuracy && pos.coords.accuracy) accuracy.value = Math.round(pos.coords.accuracy);
      say("已定位：" + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) +
          (pos.coords.accuracy ? "（精度约 " + Math.round(pos.coords.accuracy) + " 米）" : ""));
    }, function () {
      say("未能获取位置（未授权或信号弱）。请允许定位后刷新页面，或直接提交");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  function photoPreview(form) {
    var input = form.querySelector("input[type='file'][name='photo']");
    var box = form.querySelector("[data-photo-preview]");
    if (!input || !box || !window.URL) return;
    input.addEventListener("change", function () {
      box.textContent = "";
      if (!input.files || !input.files[0]) return;
      var img = document.createElement("img");
      img.alt = "已选择的照片";
      img.src = URL.createObjectURL(input.files[0]);
      box.appendChild(img);
    });
  }

  document.querySelectorAll("form[data-device-position]").forEach(fillPosition);
  document.querySelectorAll("form").forEach(photoPreview);
})();
