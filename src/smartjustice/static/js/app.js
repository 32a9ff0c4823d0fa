/* SmartJustice page behaviour: small, progressive (every page works without it). */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function init(root) {
    // Filter bar on phones: show the folded filters.
    each(".sj-filter-toggle", function (button) {
      button.addEventListener("click", function () {
        var form = button.closest("form");
        var open = button.getAttribute("aria-expanded") !== "true";
        each(".sj-filter-more", function (el) { el.classList.toggle("sj-collapsed", !open); }, form);
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }, root);

    // Copy a value (the new API token) to the clipboard.
    each("[data-copy-target]", function (button) {
      button.addEventListener("click", function () {
        var input = document.querySelector(button.getAttribute("data-copy-target"));
        if (!input) return;
        input.select();
        var done = function () { button.innerHTML = '<i class="bi bi-check2" aria-hidden="true"></i> 已复制'; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done);
        } else {
          document.execCommand("copy");
          done();
        }
      });
    }, root);

    // Registration: show the citizen or the enterprise fields for the chosen kind.
    each("[data-register-form]", function (form) {
      var sync = function () {
        var checked = form.querySelector("input[name=kind]:checked");
        var kind = checked ? checked.value : "citizen";
        each("fieldset[data-kind]", function (set) { set.hidden = set.getAttribute("data-kind") !== kind; }, form);
      };
      each("input[name=kind]", function (radio) { radio.addEventListener("change", sync); }, form);
      sync();
    }, root);

    // A long choice list (受理机关): a text box above it narrows the options, city groups kept; without JS the
    // grouped list alone. Options are rebuilt rather than hidden because phones' Safari ignores hidden options.
    each("select[data-choice-filter]", function (select) {
      var original = Array.prototype.map.call(select.children, function (node) { return node.cloneNode(true); });
      var hint = select.getAttribute("data-choice-filter");
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control form-control-sm mb-1";
      input.placeholder = hint;
      input.setAttribute("aria-label", hint);
      input.setAttribute("aria-controls", select.id);
      var status = document.createElement("div");
      status.className = "form-text";
      status.setAttribute("aria-live", "polite");
      select.parentNode.insertBefore(input, select);
      select.parentNode.insertBefore(status, select.nextSibling);
      input.addEventListener("input", function () {
        var words = input.value.trim();
        var chosen = select.value;
        var found = [];
        select.innerHTML = "";
        original.forEach(function (node) {
          if (node.tagName !== "OPTGROUP") { select.appendChild(node.cloneNode(true)); return; }
          var group = node.cloneNode(false);
          var wholeGroup = node.label.indexOf(words) >= 0;
          Array.prototype.forEach.call(node.children, function (option) {
            if (wholeGroup || option.text.indexOf(words) >= 0) {
              group.appendChild(option.cloneNode(true));
              found.push(option.value);
            }
          });
          if (group.children.length) select.appendChild(group);
        });
        select.value = found.indexOf(chosen) >= 0 ? chosen : found.length === 1 ? found[0] : "";
        status.textContent = !words ? "" : found.length ? "找到 " + found.length + " 个机关" : "没有匹配的机关";
      });
    }, root);

    // Bar charts (ECharts, loaded by the page): data from a json_script element named in data-chart-bar.
    if (window.echarts) {
      each("[data-chart-bar]", function (el) {
        var source = document.getElementById(el.getAttribute("data-chart-bar"));
        if (!source) return;
        var rows = JSON.parse(source.textContent);
        var chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption({
          animation: false,
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          tooltip: { trigger: "item" },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
          series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#0f4c9b" },
                     label: { show: true, position: "right" }, barMaxWidth: 22 }],
        });
        window.addEventListener("resize", function () { chart.resize(); });
      }, root);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Content swapped in by htmx gets the same behaviour.
  document.addEventListener("htmx:load", function (event) { if (event.target !== document.body) init(event.target); });
})();
