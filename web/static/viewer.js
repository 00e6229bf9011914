"use strict";
// The document view: zoom, fit to width or page, rotate, boxes on/off, a magnifying lens, and
// thumbnails of the pages; choosing a field shows its card (crop of the page, values and the
// correction form), highlights its boxes and scrolls the page to them. Without JavaScript the
// pages are shown at the panel's width and a field is chosen by its link (?veld=...).
(function () {
  var viewer = document.querySelector("[data-viewer]");
  if (!viewer) { return; }
  var canvas = viewer.querySelector(".canvas");
  var toolbar = viewer.querySelector(".toolbar");
  var level = viewer.querySelector(".zoom-level");
  var state = { fit: "width", scale: 1, rotation: 0 };
  var STEP = 1.25, MIN = 0.2, MAX = 6, LENS = 2.5;

  toolbar.hidden = false;
  viewer.classList.add("js-viewer");

  function sheets() { return Array.prototype.slice.call(viewer.querySelectorAll(".sheet")); }

  // The width of a page's frame (the rotated page's box) for the current fit or scale.
  function frameWidth(sheet) {
    var turned = state.rotation % 180 !== 0;
    var w = +sheet.dataset.w, h = +sheet.dataset.h;
    var aspect = turned ? h / w : w / h;  // frame width / frame height
    var room = canvas.clientWidth - 32;
    if (state.fit === "page") {
      return Math.min(room, (canvas.clientHeight - 48) * aspect);
    }
    var natural = +(sheet.querySelector("img") || {}).naturalWidth || 1000;
    var natFrame = turned ? natural * h / w : natural;
    return state.fit === "width" ? room : natFrame * state.scale;
  }

  function layout() {
    var shown = null;
    sheets().forEach(function (sheet) {
      var frame = sheet.parentElement;
      var turned = state.rotation % 180 !== 0;
      var w = +sheet.dataset.w, h = +sheet.dataset.h;
      var fw = Math.max(frameWidth(sheet), 40);
      var fh = turned ? fw * w / h : fw * h / w;
      var sw = turned ? fh : fw, sh = turned ? fw : fh;
      frame.style.width = fw + "px";
      frame.style.height = fh + "px";
      sheet.style.width = sw + "px";
      sheet.style.height = sh + "px";
      sheet.style.transform = {
        0: "none",
        90: "translate(" + fw + "px,0) rotate(90deg)",
        180: "translate(" + fw + "px," + fh + "px) rotate(180deg)",
        270: "translate(0," + fh + "px) rotate(270deg)",
      }[state.rotation];
      var img = sheet.querySelector("img");
      if (shown === null && img && img.naturalWidth) { shown = sw / img.naturalWidth; }
    });
    if (shown !== null) { level.textContent = Math.round(shown * 100) + "%"; }
    viewer.querySelectorAll("[data-fit]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.fit === state.fit));
    });
  }

  function currentScale() {
    var sheet = sheets()[0];
    var img = sheet && sheet.querySelector("img");
    if (!img || !img.naturalWidth) { return 1; }
    return sheet.offsetWidth / img.naturalWidth || 1;
  }

  function keepCentre(change) {
    var x = (canvas.scrollLeft + canvas.clientWidth / 2) / (canvas.scrollWidth || 1);
    var y = (canvas.scrollTop + canvas.clientHeight / 2) / (canvas.scrollHeight || 1);
    change();
    layout();
    canvas.scrollLeft = x * canvas.scrollWidth - canvas.clientWidth / 2;
    canvas.scrollTop = y * canvas.scrollHeight - canvas.clientHeight / 2;
  }

  function zoom(factor) {
    keepCentre(function () {
      var scale = state.fit ? currentScale() : state.scale;
      state.scale = Math.min(MAX, Math.max(MIN, scale * factor));
      state.fit = null;
    });
  }

  function fit(kind) { keepCentre(function () { state.fit = kind; }); }

  function rotate() {
    keepCentre(function () { state.rotation = (state.rotation + 90) % 360; });
  }

  function toggle(name) {
    var button = viewer.querySelector('[data-toggle="' + name + '"]');
    var on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    if (name === "boxes") { viewer.classList.toggle("no-boxes", !on); }
    if (name === "lens") { viewer.classList.toggle("lens-on", on); if (!on) { lens.hidden = true; } }
  }

  // -- the lens: the page under the cursor, enlarged -----------------------------------------

  var lens = document.createElement("div");
  lens.className = "lens";
  lens.hidden = true;
  lens.setAttribute("aria-hidden", "true");
  document.body.appendChild(lens);

  viewer.addEventListener("mousemove", function (event) {
    if (!viewer.classList.contains("lens-on")) { return; }
    var sheet = event.target.closest && event.target.closest(".sheet");
    var img = sheet && sheet.querySelector("img");
    if (!img) { lens.hidden = true; return; }
    var x = event.offsetX, y = event.offsetY;
    if (event.target !== img) {
      x += event.target.offsetLeft || 0;
      y += event.target.offsetTop || 0;
      if (event.target.parentElement && event.target.parentElement !== sheet) {
        x += event.target.parentElement.offsetLeft || 0;
        y += event.target.parentElement.offsetTop || 0;
      }
    }
    var size = 240, w = sheet.offsetWidth * LENS, h = sheet.offsetHeight * LENS;
    lens.hidden = false;
    lens.style.left = (event.clientX - size / 2) + "px";
    lens.style.top = (event.clientY - size / 2) + "px";
    lens.style.backgroundImage = "url(" + JSON.stringify(img.currentSrc || img.src) + ")";
    lens.style.backgroundSize = w + "px " + h + "px";
    lens.style.backgroundPosition = (size / 2 - x * LENS) + "px " + (size / 2 - y * LENS) + "px";
    lens.style.transform = "rotate(" + state.rotation + "deg)";
  });
  viewer.addEventListener("mouseleave", function () { lens.hidden = true; });

  // -- fields and findings -------------------------------------------------------------------

  function highlight(target) {
    document.querySelectorAll(".is-active").forEach(function (el) { el.classList.remove("is-active"); });
    var found = document.querySelectorAll('[data-target="' + CSS.escape(target) + '"]');
    found.forEach(function (el) { el.classList.add("is-active"); });
    return viewer.querySelector('.box[data-target="' + CSS.escape(target) + '"]');
  }

  function reveal(box) {
    if (!box) { return; }
    var page = box.closest(".page");
    var r = box.getBoundingClientRect(), c = canvas.getBoundingClientRect();
    var inside = r.top >= c.top && r.bottom <= c.bottom && r.left >= c.left && r.right <= c.right;
    if (!inside) {
      canvas.scrollTop += r.top - c.top - (c.height - r.height) / 2;
      canvas.scrollLeft += r.left - c.left - (c.width - r.width) / 2;
    }
    markPage(page && page.dataset.page);
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-field]")); }

  function selected() {
    var row = document.querySelector("tr[data-field].is-selected");
    return row ? row.dataset.field : null;
  }

  function select(name, options) {
    options = options || {};
    document.querySelectorAll(".field-card").forEach(function (card) {
      card.hidden = card.dataset.card !== name;
    });
    rows().forEach(function (row) {
      var on = row.dataset.field === name;
      row.classList.toggle("is-selected", on);
      var link = row.querySelector("a.pick");
      if (on) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
    var box = highlight("veld-" + name);
    if (options.scroll !== false) { reveal(box); }
    var url = new URL(location.href);
    url.searchParams.set("veld", name);
    url.hash = "";
    history.replaceState(null, "", url.pathname + url.search);
    if (options.focus) {
      var pick = document.querySelector("#veld-" + CSS.escape(name) + " a.pick");
      if (pick) { pick.focus({ preventScroll: true }); showRow(pick.closest("tr")); }
    }
  }

  // Scroll the panel so the row is visible below the (sticky) card of the chosen field.
  function showRow(row) {
    var panel = row.closest(".panel");
    var cards = document.querySelector(".field-cards");
    if (!panel || !cards) { row.scrollIntoView({ block: "nearest" }); return; }
    var r = row.getBoundingClientRect(), p = panel.getBoundingClientRect();
    var top = Math.max(p.top, cards.getBoundingClientRect().bottom);
    if (r.top < top) { panel.scrollTop -= top - r.top + 4; }
    else if (r.bottom > p.bottom) { panel.scrollTop += r.bottom - p.bottom + 4; }
  }

  function step(by) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.findIndex(function (r) { return r.dataset.field === selected(); });
    var here = document.activeElement;
    var onField = here && here.closest && here.closest("tr[data-field], .field-card");
    if (!onField) { at = at < 0 ? -1 : at - (by > 0 ? 1 : -1); }  // first press: the chosen one
    var next = all[(at + by + all.length) % all.length];
    select(next.dataset.field, { focus: true });
  }

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("a.pick");
    if (pick) {
      event.preventDefault();
      select(pick.closest("tr").dataset.field, { focus: true });
      return;
    }
    var button = event.target.closest(".toolbar button");
    if (button) {
      if (button.dataset.zoom) { zoom(button.dataset.zoom === "in" ? STEP : 1 / STEP); }
      if (button.dataset.fit) { fit(button.dataset.fit); }
      if (button.hasAttribute("data-rotate")) { rotate(); }
      if (button.dataset.toggle) { toggle(button.dataset.toggle); }
      return;
    }
    var thumb = event.target.closest(".thumbs a");
    if (thumb) {
      event.preventDefault();
      var page = document.getElementById("pagina-" + thumb.dataset.page);
      canvas.scrollTop += page.getBoundingClientRect().top - canvas.getBoundingClientRect().top;
      markPage(thumb.dataset.page);
      return;
    }
    if (event.target.closest("form, a, button, input, select, textarea")) { return; }
    var row = event.target.closest("tr[data-field]");
    var box = event.target.closest(".box");
    var name = row ? row.dataset.field : null;
    if (box && box.dataset.target.indexOf("veld-") === 0) { name = box.dataset.target.slice(5); }
    if (name) { select(name, { scroll: !box }); }
  });

  function markPage(number) {
    if (!number) { return; }
    viewer.querySelectorAll(".thumbs a").forEach(function (a) {
      if (a.dataset.page === String(number)) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  canvas.addEventListener("scroll", function () {
    var top = canvas.getBoundingClientRect().top + canvas.clientHeight / 3;
    viewer.querySelectorAll(".page").forEach(function (page) {
      var r = page.getBoundingClientRect();
      if (r.top <= top && r.bottom >= top) { markPage(page.dataset.page); }
    });
  }, { passive: true });

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  var KEYS = {
    "+": function () { zoom(STEP); },
    "=": function () { zoom(STEP); },
    "-": function () { zoom(1 / STEP); },
    "b": function () { fit("width"); },
    "h": function () { fit("page"); },
    "r": rotate,
    "x": function () { toggle("boxes"); },
    "l": function () { toggle("lens"); },
    "j": function () { step(1); },
    "k": function () { step(-1); },
    "c": function () {
      var card = document.querySelector(".field-card:not([hidden])");
      var input = card && (card.querySelector("[data-value]") || card.querySelector("input:not([type=hidden])"));
      if (input) { input.focus(); input.select(); }
    },
    "f": function () {
      var items = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
      if (!items.length) { return; }
      var next = items[(items.indexOf(document.activeElement) + 1) % items.length];
      next.focus();
      reveal(highlight(next.dataset.target));
    },
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var action = KEYS[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  document.addEventListener("regions-swapped", function () {
    var name = selected();
    if (name) { highlight("veld-" + name); }
  });

  function start() {
    layout();
    var name = new URL(location.href).searchParams.get("veld") || null;
    var hash = decodeURIComponent(location.hash.slice(1));
    if (hash.indexOf("bevinding-") === 0) {
      reveal(highlight(hash));
    } else if (name || hash.indexOf("kaart-") === 0) {
      var chosen = name || hash.slice(6);
      select(chosen, { focus: false });
    }
    document.documentElement.dataset.viewer = "ready";
  }

  viewer.querySelectorAll(".sheet img").forEach(function (img) {
    if (!img.complete) { img.addEventListener("load", layout, { once: true }); }
  });
  window.addEventListener("resize", layout);
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
