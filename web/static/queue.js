"use strict";
// The queue's filters apply at once: a change (or, for the search field, a pause in typing)
// fetches the queue for the new filters and replaces the results, keeping the focus where it
// is; the address bar follows. Without JavaScript the "Filteren" button submits the form.
// Also: the "select all" box for the bulk actions.
(function () {
  var form = document.getElementById("filters");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  form.classList.add("live");
  var timer = null;
  var controller = null;

  function target() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    var query = params.toString();
    return "/" + (query ? "?" + query : "");
  }

  function selectAll() {
    var all = document.getElementById("alles");
    if (!all) { return; }
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll("table.queue tbody input[type=checkbox]").forEach(function (box) {
        if (!box.disabled) { box.checked = all.checked; }
      });
    });
  }

  function refresh() {
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var url = target();
    fetch(url, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("reload"); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("resultaten");
        var results = document.getElementById("resultaten");
        if (!fresh || !results) { throw new Error("reload"); }
        results.replaceWith(document.adoptNode(fresh));
        var count = page.getElementById("aantal");
        document.getElementById("aantal").textContent = count ? count.textContent : "";
        window.history.replaceState(null, "", url);
        selectAll();
      })
      .catch(function (error) {
        if (error.name !== "AbortError") { window.location.href = url; }
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "zoek") { refresh(); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "zoek") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    refresh();
  });
  selectAll();
})();
