/* 移动执法 (templates/enforcement/mobile): the device's time and GPS into hidden fields, the party's signature drawn
   on a <canvas> (sent as a PNG data URL), photo previews, and the fine field shown only for a fine. No libraries. */
(function () {
  "use strict";

  function fillPosition(form) {
    var status = form.querySelector("[data-position-status]");
    var time = form.querySelector("input[name='captured_at']");
    var say = function (text) { if (status) status.textContent = text; };
    if (time) time.value = new Date().toISOString();
    if (!("geolocation" in navigator)) { say("本机不支持定位，将只记录时间"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("input[name='latitude']").value = pos.coords.latitude.toFixed(6);
      form.querySelector("input[name='longitude']").value = pos.coords.longitude.toFixed(6);
      if (time) time.value = new Date(pos.timestamp || Date.now()).toISOString();
      say("已定位：" + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) +
          "（精度约 " + Math.round(pos.coords.accuracy) + " 米）");
    }, function () {
      say("未能获取位置（未授权或信号弱），将只记录时间");
    }, {enableHighAccuracy: true, timeout: 10000, maximumAge: 60000});
  }

  function signaturePad(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var field = form.querySelector("input[name='signature']");
    var status = form.querySelector("[data-signature-status]");
    if (!canvas || !field) return;
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false, last = null;
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";
    function point(e) {
      var r = canvas.getBoundingClientRect();
      return {x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height};
    }
    function start(e) { drawing = true; last = point(e); if (canvas.setPointerCapture && e.pointerId !== undefined) canvas.setPointerCapture(e.pointerId); e.preventDefault(); }
    function move(e) {
      if (!drawing) return;
      var p = point(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p; drawn = true; e.preventDefault();
    }
    function end() {
      if (!drawing) return;
      drawing = false;
      if (drawn) { field.value = canvas.toDataURL("image/png"); if (status) status.textContent = "已签名"; }
    }
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointerleave", end);
    canvas.addEventListener("pointercancel", end);
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; field.value = "";
      if (status) status.textContent = "尚未签名";
    });
    if (field.value) { if (status) status.textContent = "已签名（如需修改请清除重签）"; }
  }

  function fineToggle(form) {
    var amount = form.querySelector("input[name='fine_amount']");
    var radios = form.querySelectorAll("input[name='sanction']");
    if (!amount || !radios.length) return;
    var wrapper = amount.closest(".mb-3") || amount.parentNode;
    function update() {
      var chosen = form.querySelector("input[name='sanction']:checked");
      var fine = !chosen || chosen.value === "fine";
      wrapper.hidden = !fine;
      if (!fine) amount.value = "";
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  function photoPreviews(form) {
    var input = form.querySelector("input[type='file'][name='photos']");
    var box = form.querySelector("[data-photo-previews]");
    if (!input || !box || !window.URL) return;
    input.addEventListener("change", function () {
      box.textContent = "";
      Array.prototype.forEach.call(input.files, function (file, i) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "现场照片第 " + (i + 1) + " 张预览";
        box.appendChild(img);
      });
    });
  }

  document.querySelectorAll("form[data-device-position]").forEach(fillPosition);
  document.querySelectorAll("form[data-signature-form]").forEach(function (form) {
    signaturePad(form);
    fineToggle(form);
  });
  document.querySelectorAll("form[data-device-position]").forEach(photoPreviews);
})();
