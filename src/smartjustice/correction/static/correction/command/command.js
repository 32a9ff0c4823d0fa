/* 社区矫正指挥中心: poll the alert feed (GET …/command/feed?after=<last id>) and the live counts without reloading;
   new alerts appear at the top of the list (announced by aria-live). Without JavaScript the page shows the figures
   and alerts as they were when it loaded. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function drawItem(template, alert) {
    var node = template.content.firstElementChild.cloneNode(true);
    node.setAttribute("data-alert-id", alert.id);
    var set = function (name, text) {
      var el = node.querySelector('[data-field="' + name + '"]');
      if (el) el.textContent = text;
    };
    set("status_label", alert.status_label);
    set("kind_label", alert.kind_label);
    set("subject", alert.subject_name + "（" + alert.subject_number + "）");
    set("started_at", when(alert.started_at));
    set("why", alert.why.length > 120 ? alert.why.slice(0, 119) + "…" : alert.why);
    set("jurisdiction_name", alert.jurisdiction_name);
    set("handle_by", when(alert.handle_by));
    if (alert.url) {
      var slot = node.querySelector('[data-field="link"]');
      var link = document.createElement("a");
      link.href = alert.url;
      link.textContent = "查看证据并处置";
      slot.appendChild(document.createTextNode(" · "));
      slot.appendChild(link);
    }
    return node;
  }

  function init() {
    var feed = document.getElementById("command-feed");
    var template = document.getElementById("command-feed-item");
    var counts = document.getElementById("command-counts");
    var status = document.getElementById("command-feed-status");
    if (!feed || !template || !window.fetch) return;
    var lastId = parseInt(feed.getAttribute("data-last-id"), 10) || 0;
    var every = (parseInt(feed.getAttribute("data-poll-seconds"), 10) || 15) * 1000;
    var busy = false;

    function pollFeed() {
      return fetch(feed.getAttribute("data-feed-url") + "?after=" + lastId, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (alerts) {
          if (!alerts.length) return;
          var empty = feed.querySelector("[data-empty]");
          if (empty) empty.remove();
          alerts.forEach(function (alert) {  // oldest first: each goes on top, so the newest ends up first
            if (feed.querySelector('[data-alert-id="' + alert.id + '"]')) return;
            feed.insertBefore(drawItem(template, alert), feed.firstChild);
            lastId = Math.max(lastId, alert.id);
          });
          feed.setAttribute("data-last-id", lastId);
          if (status) status.textContent = "新预警 " + alerts.length + " 条（" + when(new Date().toISOString()) + "）";
        });
    }

    function pollCounts() {
      if (!counts) return Promise.resolve();
      return fetch(counts.getAttribute("data-counts-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          Array.prototype.forEach.call(counts.querySelectorAll("[data-count]"), function (el) {
            var name = el.getAttribute("data-count");
            if (data[name] !== undefined) el.textContent = data[name];
          });
        });
    }

    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      Promise.all([pollFeed(), pollCounts()])
        .catch(function () { if (status) status.textContent = "刷新失败，稍后重试"; })
        .then(function () { busy = false; });
    }

    window.setInterval(tick, every);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
