/* Reading page of a long law: chapters load on demand; an address naming an article (#art-123, #art-120-1-p2)
   or a chapter (#chapter-5) loads that chapter first and then scrolls to it. Without JS the links open the page
   at the chapter (?chapter=N), so this file only makes it faster. */
(function () {
  "use strict";
  var reader = document.querySelector("[data-law-reader]");
  if (!reader || !window.htmx) return;
  var base = reader.getAttribute("data-law-reader");

  function chapterOf(hash) {
    var m = /^#chapter-(\d+)$/.exec(hash);
    if (m) return document.getElementById("chapter-" + m[1]);
    m = /^#art-(\d+)(?:-(\d+))?(?:-p\d+)?$/.exec(hash);
    if (!m) return null;
    var key = parseInt(m[1], 10) * 1000 + (m[2] ? parseInt(m[2], 10) : 0);
    var found = null;
    Array.prototype.forEach.call(reader.querySelectorAll(".sj-chapter"), function (el) {
      if (!found && key >= +el.getAttribute("data-first") && key <= +el.getAttribute("data-last")) found = el;
    });
    return found;
  }

  function show(hash) {
    var chapter = chapterOf(hash);
    var scroll = function () {
      var target = document.getElementById(hash.slice(1));
      if (target) target.scrollIntoView();
    };
    if (!chapter || chapter.hasAttribute("data-loaded")) return scroll();
    var n = chapter.getAttribute("data-chapter");
    window.htmx.ajax("GET", base + "chapters/" + n + "/", { target: "#chapter-" + n, swap: "outerHTML" }).then(scroll);
  }

  // Table-of-contents links: load the chapter in place instead of reloading the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-chapter]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var hash = link.hash || "#chapter-" + link.getAttribute("data-chapter");
    history.pushState(null, "", hash);
    show(hash);
  });
  window.addEventListener("hashchange", function () { show(window.location.hash); });
  if (window.location.hash) show(window.location.hash);
})();
