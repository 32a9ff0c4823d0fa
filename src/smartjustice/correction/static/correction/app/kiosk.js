/* 社区矫正自助终端: the on-screen keypad, and back to the first screen after the idle time (or soon after a
   successful check-in), so the next person never sees the previous one. No libraries. */
(function () {
  "use strict";
  var body = document.body;
  var resetUrl = body.getAttribute("data-reset-url");
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10) || 120;
  var done = document.querySelector("[data-reset-after]");
  if (done) idle = parseInt(done.getAttribute("data-reset-after"), 10) || 15;
  var timer = null;
  function restart() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () { window.location.assign(resetUrl); }, idle * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, restart, {passive: true});
  });
  restart();

  document.querySelectorAll("[data-keypad-for]").forEach(function (pad) {
    var input = document.getElementById(pad.getAttribute("data-keypad-for"));
    if (!input) return;
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) return;
      var value = key.getAttribute("data-key");
      if (value === "back") input.value = input.value.slice(0, -1);
      else if (input.value.length < 18) input.value += value;
      input.focus();
    });
  });
})();
