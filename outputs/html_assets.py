"""The style sheet and the script inlined in report.html: the page must work from a file,
offline, so nothing is loaded from elsewhere (its Content-Security-Policy allows these two by
their hashes and nothing else). The script only shows, hides, sorts and opens what the page
holds; it never writes text into the page as HTML."""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --reject: #f8d0d4; --reject-ink: #8a1c24; --review: #fde9a8; --review-ink: #6b4e00;
  --approve: #cdeccf; --approve-ink: #1e5b25; --line: #d6d9de; --muted: #545b66;
  --focus: #1a56c4; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
  margin: 0 auto; padding: 1.25rem 1.5rem; max-width: 90rem; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: .9rem 0 .3rem; color: var(--muted); }
.meta, .none { color: var(--muted); margin: .2rem 0; }
ul.verdicts { list-style: none; display: flex; gap: 1rem; padding: 0; margin: .4rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 .75rem; }
table.narrow { width: auto; min-width: 24rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .85em; }
.badge, .tag { display: inline-block; padding: .05rem .5rem; border-radius: 1rem;
  font-size: .85rem; font-weight: 600; white-space: nowrap; }
.tag { font-weight: 500; white-space: normal; padding: 0 .45rem; }
ul.labels { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .2rem .25rem; }
table.overview { font-size: 14px; }
table.overview th { white-space: nowrap; }
table.overview th.num, table.overview th.fit { width: 1%; }
table.overview td { padding: .25rem .5rem; }
.reject, .error { background: var(--reject); color: var(--reject-ink); }
.review, .warning { background: var(--review); color: var(--review-ink); }
.approve { background: var(--approve); color: var(--approve-ink); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end;
  margin: .25rem 0 .5rem; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem;
  font-weight: 600; }
form.filters input, form.filters select, form.filters button { font: inherit;
  padding: .3rem .45rem; border: 1px solid #8a9099; border-radius: .25rem; }
form.filters input { min-width: 20rem; }
form.filters button, .tools button { background: #f1f3f5; cursor: pointer; }
#aantal { margin: 0 0 .35rem; font-weight: 600; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
  cursor: pointer; color: inherit; text-align: left; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort=ascending] button::after { content: " \\2191"; color: inherit; }
th[aria-sort=descending] button::after { content: " \\2193"; color: inherit; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
a { color: #1a4fa8; }
details.registration { border: 1px solid var(--line); border-radius: .3rem;
  margin: .35rem 0; padding: .3rem .75rem; }
details.registration > summary { cursor: pointer; display: list-item; }
details.registration[open] > summary { margin-bottom: .3rem; }
.rid { font-weight: 700; }
.tools { margin: .2rem 0 .4rem; display: flex; gap: .5rem; }
.tools button { font: inherit; font-size: .85rem; padding: .2rem .5rem;
  border: 1px solid #8a9099; border-radius: .25rem; }
@media print { body { padding: 0; max-width: none; font-size: 11px; }
  form.filters, .tools, th button::after { display: none !important; }
  details.registration { break-inside: avoid-page; }
  a { color: inherit; text-decoration: none; } }
"""

JS = """
(() => {
  "use strict";
  const table = document.getElementById("overzicht-tabel");
  const form = document.getElementById("filters");
  if (!table || !form) return;
  const search = document.getElementById("zoek");
  const verdict = document.getElementById("oordeel");
  const code = document.getElementById("bevinding");
  const count = document.getElementById("aantal");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const sections = new Map();
  document.querySelectorAll("details.registration").forEach((d) => sections.set(d.id, d));
  const fold = (text) => text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();

  function apply() {
    const words = fold(search.value).split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const keep = words.every((word) => row.dataset.search.includes(word)) &&
        (!verdict.value || row.dataset.verdict === verdict.value) &&
        (!code.value || row.dataset.codes.split(" ").includes(code.value));
      row.hidden = !keep;
      const section = sections.get(row.dataset.target);
      if (section) section.hidden = !keep;
      if (keep) shown += 1;
    }
    count.textContent = shown + " van " + rows.length + " registraties";
  }

  const collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, index) => {
    const button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach((h) => h.setAttribute("aria-sort", "none"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => {
        const cell = row.cells[index];
        return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
      };
      const numeric = th.dataset.type === "number";
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const order = numeric ? Number(x) - Number(y) : collator.compare(x, y);
        return (ascending ? order : -order) || Number(a.dataset.index) - Number(b.dataset.index);
      });
      for (const row of rows) {
        body.appendChild(row);
        const section = sections.get(row.dataset.target);
        if (section) section.parentNode.appendChild(section);
      }
    });
  });

  function openTarget() {
    const section = sections.get(decodeURIComponent(location.hash.slice(1)));
    if (section) section.open = true;
  }
  document.getElementById("alles-open").addEventListener("click", () => {
    sections.forEach((d) => { if (!d.hidden) d.open = true; });
  });
  document.getElementById("alles-dicht").addEventListener("click", () => {
    sections.forEach((d) => { d.open = false; });
  });
  let closed = [];
  window.addEventListener("beforeprint", () => {
    closed = Array.from(sections.values()).filter((d) => !d.open);
    closed.forEach((d) => { d.open = true; });
  });
  window.addEventListener("afterprint", () => closed.forEach((d) => { d.open = false; }));
  document.querySelectorAll("a[data-code]").forEach((link) => {
    link.addEventListener("click", () => { code.value = link.dataset.code; apply(); });
  });
  window.addEventListener("hashchange", openTarget);
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply));
  form.hidden = false;
  document.querySelectorAll(".tools").forEach((tools) => { tools.hidden = false; });
  openTarget();
  apply();
})();
"""


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source of an inline `<style>` or `<script>` with `text`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(JS)}; "
    "base-uri 'none'; form-action 'none'"
)
