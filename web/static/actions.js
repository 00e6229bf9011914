"use strict";
// The case and document pages keep the reviewer's place. A form marked data-fetch is posted
// with fetch; the server answers as it would without JavaScript (a redirect to the page with
// the message beside the form acted on), and only the parts of the page that changed
// ([data-region] elements, by id) are swapped in. The element acted on keeps its place on the
// screen, focus goes to its message, and after an error nothing is swapped: what was typed
// stays. Also the keyboard shortcuts of both pages (listed on the page under "Sneltoetsen").
(function () {
  var busy = false;

  function announce(text) {
    var live = document.getElementById("melding");
    if (live) { live.textContent = ""; live.textContent = text; }
  }

  function scrollerOf(el) {
    return (el && el.closest(".panel")) || document.scrollingElement;
  }

  // A reason is needed: a preset or a free text. The text is required while no preset is chosen
  // (without JavaScript the server refuses a form with neither, beside the form).
  function needReason(root) {
    root.querySelectorAll("select[data-reason]").forEach(function (choice) {
      var text = choice.form && choice.form.querySelector("input[name=reden]");
      if (text) { text.required = !choice.value; }
    });
  }
  needReason(document);
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-reason]")) {
      needReason(event.target.form || document);
    }
  });

  function swap(fresh) {
    fresh.querySelectorAll("[data-region][id]").forEach(function (region) {
      var old = document.getElementById(region.id);
      if (old && old.innerHTML !== region.innerHTML) {
        var copy = document.importNode(region, true);
        old.replaceWith(copy);
        needReason(copy);
      }
    });
  }

  function showNote(fresh, key, form) {
    var note = fresh.querySelector('[data-note="' + CSS.escape(key) + '"]');
    if (!note) { return null; }
    var old = document.querySelector('[data-note="' + CSS.escape(key) + '"]');
    var copy = document.importNode(note, true);
    if (old) { old.replaceWith(copy); } else { form.after(copy); }
    return copy;
  }

  async function submit(form, submitter) {
    var key = form.dataset.form;
    var anchor = document.getElementById(key) || form;
    var scroller = scrollerOf(anchor);
    var before = anchor.getBoundingClientRect().top;
    var data = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    busy = true;
    form.setAttribute("aria-busy", "true");
    try {
      var response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      var html = await response.text();
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var target = new URL(response.url);
      if (!response.ok || target.pathname !== location.pathname) {
        location.assign(response.url);  // a login page, an error page: show it as it is
        return;
      }
      var note = fresh.querySelector('[data-note="' + CSS.escape(key) + '"]');
      if (note && note.classList.contains("flash-fout")) {
        var shown = showNote(fresh, key, form);  // nothing changed: keep the form as typed
        announce(note.textContent);
        (form.querySelector("[aria-invalid], input:not([type=hidden])") || shown).focus();
        return;
      }
      swap(fresh);
      history.replaceState(null, "", target.pathname + target.search + location.hash);
      var moved = document.getElementById(key);
      if (moved) {
        var diff = moved.getBoundingClientRect().top - before;
        if (scroller === document.scrollingElement) { window.scrollBy(0, diff); }
        else { scroller.scrollTop += diff; }
      }
      var placed = document.querySelector('[data-note="' + CSS.escape(key) + '"]');
      if (placed) { placed.focus({ preventScroll: true }); announce(placed.textContent); }
      document.dispatchEvent(new CustomEvent("regions-swapped", { detail: { key: key } }));
    } catch (error) {
      form.submit();  // the network failed: the plain form post still works
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-fetch]") || !window.fetch) { return; }
    event.preventDefault();
    if (!busy) { submit(form, event.submitter); }
  });

  // -- shortcuts ----------------------------------------------------------------------------

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  function move(selector, step) {
    var items = Array.prototype.slice.call(document.querySelectorAll(selector));
    if (!items.length) { return null; }
    var at = items.indexOf(document.activeElement);
    var next = items[at < 0 ? (step > 0 ? 0 : items.length - 1) : (at + step + items.length) % items.length];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
    return next;
  }

  function click(selector) {
    var el = document.querySelector(selector);
    if (el) { el.click(); }
    return el;
  }

  var onCase = function (key) {
    if (key === "j") { return move("li.finding", 1); }
    if (key === "k") { return move("li.finding", -1); }
    if (key === "d") { return move("[data-doc-link]", 1); }
    if (key === "e") {
      var decide = document.querySelector("#besluit select, #besluit input[name=reden]");
      if (decide) { decide.focus(); }
      return decide;
    }
    return null;
  };

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Escape" && typing(el)) {
      var card = el.closest(".field-card");
      if (card) {
        var pick = document.querySelector('#veld-' + CSS.escape(card.dataset.card) + " a.pick");
        if (pick) { pick.focus(); event.preventDefault(); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(el)) { return; }
    if (event.key === "Enter" && el.matches && el.matches("li.finding")) {
      var reason = el.querySelector("select[name=reden_keuze], input[name=reden]");
      if (reason) { reason.focus(); event.preventDefault(); }
      return;
    }
    var done = null;
    if (event.key === "?") {
      var help = document.getElementById("sneltoetsen");
      if (help) { help.open = !help.open; help.querySelector("summary").focus(); done = help; }
    } else if (event.key === "i") {
      done = click('form[action$="/claim"] button');
    } else if (event.key === "t") {
      done = click('a[data-key="t"]');
    } else if (document.body.classList.contains("case-page")) {
      done = onCase(event.key);
    }
    if (done) { event.preventDefault(); }
  });
  document.documentElement.dataset.actions = "ready";
})();
