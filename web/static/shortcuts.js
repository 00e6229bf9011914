"use strict";
// Keyboard shortcuts of the reviewer app, listed in the "Sneltoetsen" dialog (? opens it):
// j/k move through the queue's rows, x selects the row, c claims (the row in the queue, the
// case on a case page), n claims and opens the next case, / searches, w goes to the queue.
// They never fire while the reviewer types in a field or holds Ctrl, Alt or Cmd.
(function () {
  var TEXT_INPUTS = /^(text|search|email|number|password|tel|url|date|datetime-local|month|time|week)$/;

  function typing(el) {
    if (!el || !el.tagName) { return false; }
    if (el.isContentEditable) { return true; }
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") { return true; }
    return el.tagName === "INPUT" && TEXT_INPUTS.test(el.type || "text");
  }

  function help() { return document.getElementById("sneltoetsen"); }

  function openHelp() {
    var dialog = help();
    if (dialog && !dialog.open) { dialog.showModal(); }
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  }

  function currentIndex(list) {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("table.queue tbody tr") : null;
    if (row) { return list.indexOf(row); }
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains("is-current")) { return i; }
    }
    return -1;
  }

  function choose(index) {
    var list = rows();
    if (!list.length) { return false; }
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row) { row.classList.remove("is-current"); });
    var row = list[index];
    row.classList.add("is-current");
    var link = row.querySelector("a.case-link");
    if (link) { link.focus(); }
    return true;
  }

  function currentRow() {
    var list = rows();
    var index = currentIndex(list);
    return index < 0 ? null : list[index];
  }

  function token() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function post(action) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = action;
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "csrf_token";
    field.value = token();
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
  }

  function claim() {
    var row = currentRow();
    if (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box && box.disabled) { return false; }
      post("/registraties/" + encodeURIComponent(row.dataset.rid) + "/claim");
      return true;
    }
    var button = document.querySelector('form[action$="/claim"] button[type=submit]');
    if (button) { button.click(); return true; }
    return false;
  }

  function toggle() {
    var row = currentRow();
    var box = row ? row.querySelector("input[type=checkbox]") : null;
    if (!box || box.disabled) { return false; }
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function nextCase() {
    var form = document.getElementById("volgende");
    if (!form) { return false; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    return true;
  }

  function search() {
    var field = document.getElementById("zoek");
    if (!field) { return false; }
    field.focus();
    field.select();
    return true;
  }

  var KEYS = {
    "?": function () { openHelp(); return true; },
    "/": search,
    "j": function () { var list = rows(); return choose(currentIndex(list) + 1); },
    "k": function () { var list = rows(); return choose(Math.max(0, currentIndex(list) - 1)); },
    "x": toggle,
    "c": claim,
    "n": nextCase,
    "w": function () { window.location.href = "/"; return true; }
  };

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-sneltoetsen]")) { openHelp(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) { return; }
    // A page with shortcuts of its own (the case and document pages: _shortcuts.html) keeps
    // only n and w from here; its script handles the rest.
    if (document.querySelector("[data-page-shortcuts]") && event.key !== "n" && event.key !== "w") { return; }
    var dialog = help();
    if (dialog && dialog.tagName === "DIALOG" && dialog.open) { return; }  // Esc and Tab belong to the dialog
    var action = KEYS[event.key];
    if (action && action()) { event.preventDefault(); }
  });
})();
