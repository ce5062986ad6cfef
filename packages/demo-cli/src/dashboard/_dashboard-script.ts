/**
 * The browser script of the dashboard page, as text (inlined by
 * dashboard-page.ts). Plain ES2020, no dependencies; builds every node with
 * textContent so guest output is never parsed as HTML. Everything it shows
 * comes from the server's snapshot: the chart is the server's last minute of
 * readings (a page opened late still shows the minute), the timeline its
 * events.
 *
 * @module
 */

/** The inline script of the dashboard page. */
export const DASHBOARD_SCRIPT = String.raw`
"use strict";
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const CHART = { w: 320, h: 120, left: 30, right: 6, top: 8, bottom: 18, spanMs: 60000 };
const consolePres = new Map();
let periodEdited = false;
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
function renderDomains(domains) {
  const body = $("domains-body");
  body.replaceChildren();
  for (const d of domains) {
    const tr = el("tr");
    tr.append(el("td", d.name), el("td", d.domid), el("td", d.state, "state state-" + d.state), el("td", d.vcpus));
    const load = el("td");
    const bar = el("div", "", "bar");
    const fill = el("div", "", "fill");
    fill.style.width = Math.max(0, Math.min(100, Number(d.load) || 0)) + "%";
    bar.append(fill);
    load.append(bar, el("span", (Number(d.load) || 0).toFixed(1) + " %"));
    const counts = d.restarts === undefined ? "-" : d.restarts + (d.crashes > 0 ? " (" + d.crashes + " crashed)" : "");
    tr.append(load, el("td", counts), el("td", (d.interrupts || []).map((l) => l.irq + ": " + l.count).join(" · ")));
    body.append(tr);
  }
}
function niceMax(v) {
  for (const m of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) if (v <= m) return m;
  return Math.ceil(v / 10000) * 10000;
}
function renderChart(rates, now) {
  // the server's readings of the last minute, "now" at the right edge, with a labelled y axis
  const max = niceMax(Math.max(0, ...rates.map((r) => Math.max(r.tx, r.rx))));
  const plotW = CHART.w - CHART.left - CHART.right;
  const plotH = CHART.h - CHART.top - CHART.bottom;
  const x = (t) => CHART.left + plotW - ((now - t) / CHART.spanMs) * plotW;
  const y = (v) => CHART.top + plotH - (v / max) * plotH;
  const axes = $("chart-axes");
  axes.replaceChildren();
  for (const f of [0, 0.5, 1]) {
    axes.append(svg("line", { class: "grid", x1: CHART.left, x2: CHART.w - CHART.right, y1: y(max * f), y2: y(max * f) }));
    axes.append(svg("text", { x: CHART.left - 4, y: y(max * f) + 3, "text-anchor": "end" }, String(max * f)));
  }
  for (const ago of [60, 30, 0]) {
    axes.append(svg("text", { x: x(now - ago * 1000), y: CHART.h - 4, "text-anchor": ago === 60 ? "start" : ago === 0 ? "end" : "middle" }, ago === 0 ? "now" : "-" + ago + " s"));
  }
  axes.append(svg("line", { class: "axis", x1: CHART.left, x2: CHART.left, y1: CHART.top, y2: CHART.top + plotH }));
  const shown = rates.filter((r) => now - r.t <= CHART.spanMs);
  const points = (key) => (shown.length < 2 ? "" : shown.map((r) => x(r.t).toFixed(1) + "," + y(r[key]).toFixed(1)).join(" "));
  $("chart-tx").setAttribute("points", points("tx"));
  $("chart-rx").setAttribute("points", points("rx"));
}
function renderLink(link, rates, now) {
  $("link-state").textContent = link.state;
  $("link-state").className = "state state-" + link.state;
  $("link-reason").textContent = link.reason ? "(" + link.reason + ")" : "";
  $("tx").textContent = Number(link.txPerSec).toFixed(1);
  $("rx").textContent = Number(link.rxPerSec).toFixed(1);
  $("retries").textContent = link.retries;
  $("reinits").textContent = link.reinits;
  $("lost").textContent = link.lost === undefined ? "-" : link.lost;
  $("ring-text").textContent = link.ringUsed + " / " + link.ringSize;
  $("ring-fill").style.width = (link.ringSize > 0 ? (100 * link.ringUsed) / link.ringSize : 0) + "%";
  renderChart(rates, now);
}
function atEnd(pre) {
  return pre.scrollHeight - pre.scrollTop - pre.clientHeight < 8;
}
function renderConsoles(consoles) {
  // one panel per console that printed something; each follows its end unless the reader scrolled up
  // (re-checked after every update: a panel added beside it narrows it, and its lines wrap further)
  const box = $("consoles");
  for (const [source, lines] of Object.entries(consoles)) {
    if (lines.length === 0) continue;
    let pre = consolePres.get(source);
    if (pre === undefined) {
      const section = el("section", undefined, "console");
      pre = el("pre");
      pre.dataset.source = source;
      pre.dataset.follow = "yes";
      pre.addEventListener("scroll", () => {
        pre.dataset.follow = atEnd(pre) ? "yes" : "no";
      });
      section.append(el("h3", source), pre);
      box.append(section);
      consolePres.set(source, pre);
    }
    const text = lines.join("\n");
    if (pre.textContent !== text) pre.textContent = text;
  }
  for (const pre of consolePres.values()) if (pre.dataset.follow === "yes" && !atEnd(pre)) pre.scrollTop = pre.scrollHeight;
}
function clockText(ms) {
  const secs = Math.floor(ms / 1000);
  return String(Math.floor(secs / 3600)).padStart(2, "0") + ":" + String(Math.floor(secs / 60) % 60).padStart(2, "0") + ":" + String(secs % 60).padStart(2, "0");
}
function renderTimeline(entries) {
  const list = $("timeline-list");
  if (entries.length === 0) return;
  list.replaceChildren();
  for (const e of entries.slice().reverse()) {
    const li = el("li", undefined, e.level);
    const text = el("span", e.text, "text");
    if (e.count > 1) text.append(el("span", " ×" + e.count, "count"));
    li.append(el("span", clockText(e.t), "when"), el("span", e.kind, "kind"), text);
    list.append(li);
  }
}
function formatTime(t, clock) {
  // Epoch ms from an older server; otherwise platform time since boot.
  if (t > 1e12) return new Date(t).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  return (clock === "real" ? "uptime " : "simulated ") + clockText(t);
}
function formatValue(v) {
  if (Array.isArray(v)) return v.map((x) => (x !== null && typeof x === "object" ? Object.values(x).join(" ") : String(x))).join(", ");
  if (v !== null && typeof v === "object") return Object.entries(v).map(([k, x]) => k + " " + x).join(", ");
  return String(v);
}
function formatSample(sample) {
  // one field per line: "seq   37"; threads and counters compacted
  if (sample === null || typeof sample !== "object") return "(none yet)";
  return Object.entries(sample).map(([k, v]) => k.padEnd(5) + " " + formatValue(v)).join("\n");
}
function render(s) {
  renderDomains(s.domains || []);
  renderLink(s.link, s.rates || [], s.time);
  $("sample").textContent = s.latestSample == null ? "(none yet)" : formatSample(s.latestSample);
  renderTimeline(s.timeline || []);
  renderConsoles(s.consoles || {});
  if (s.periodMs !== undefined) {
    $("period-now").textContent = s.periodMs + " ms";
    // the field shows the period in force, unless the user is typing a new one
    if (!periodEdited && document.activeElement !== $("period-ms")) $("period-ms").value = String(s.periodMs);
  }
  $("time").textContent = formatTime(s.time, s.clock);
}
const source = new EventSource("events");
source.addEventListener("snapshot", (e) => {
  $("conn").textContent = "live";
  $("conn").className = "conn live";
  render(JSON.parse(e.data));
});
source.addEventListener("error", () => {
  $("conn").textContent = "reconnecting";
  $("conn").className = "conn down";
});
$("period-ms").addEventListener("input", () => {
  periodEdited = true;
});
$("period-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const ms = Number($("period-ms").value);
  $("period-result").textContent = "sending...";
  try {
    const res = await fetch("api/period", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms }),
    });
    const body = await res.json();
    $("period-result").textContent = res.ok ? "set to " + body.ms + " ms" : "refused: " + body.error;
    if (res.ok) periodEdited = false;
  } catch (err) {
    $("period-result").textContent = "failed: " + err;
  }
});
`;
