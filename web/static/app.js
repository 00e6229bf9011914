"use strict";
// Clicking a field or finding highlights its boxes on the page renders and scrolls to the
// first one; clicking a box highlights its row. A #veld-... or #bevinding-... link does the
// same on load.
(function () {
  function byTarget(target) {
    return document.querySelectorAll('[data-target="' + CSS.escape(target) + '"]');
  }

  function highlight(target, scrollToBox) {
    document.querySelectorAll(".is-active").forEach(function (el) {
      el.classList.remove("is-active");
    });
    var found = byTarget(target);
    found.forEach(function (el) { el.classList.add("is-active"); });
    var box = document.querySelector('.box[data-target="' + CSS.escape(target) + '"]');
    if (scrollToBox && box) {
      box.scrollIntoView({ block: "center", inline: "nearest" });
    }
    return found.length;
  }

  function activate(el) {
    if (el.classList.contains("box")) {
      highlight(el.dataset.target, false);
      var row = document.getElementById(el.dataset.target);
      if (row) { row.scrollIntoView({ block: "nearest" }); }
    } else {
      highlight(el.dataset.target, true);
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("form, a, button, input, select, textarea")) { return; }
    var el = event.target.closest("[data-target]");
    if (el) { activate(el); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches("[data-target]")) {
      return;
    }
    activate(event.target);
  });

  window.addEventListener("load", function () {
    if (location.hash.length > 1) {
      highlight(decodeURIComponent(location.hash.slice(1)), true);
    }
  });
})();
