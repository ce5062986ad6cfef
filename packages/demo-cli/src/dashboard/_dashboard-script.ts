/**
 * The browser script of the dashboard page, as text (inlined by
 * dashboard-page.ts). Plain ES2020, no dependencies; builds every node with
 * textContent so guest output is never parsed as HTML.
 *
 * @module
 */

/** The inline script of the dashboard page. */
export const DASHBOARD_SCRIPT = String.raw`
"use strict";
const $ = (id) => document.getElementById(id);
const history = { tx: [], rx: [] };
const HISTORY = 60;
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text);
  if (cls) e.className = cls;
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
    tr.append(load, el("td", (d.interrupts || []).map((l) => l.irq + ": " + l.count).join(" · ")));
    body.append(tr);
  }
}
function spark(values, max) {
  // newest at the right edge, one point per update, the last minute across
  if (values.length < 2) return "";
  const step = 200 / (HISTORY - 1);
  const last = values.length - 1;
  return values.map((v, i) => (200 - (last - i) * step).toFixed(1) + "," + (40 - (v / max) * 36).toFixed(1)).join(" ");
}
function renderLink(link) {
  $("link-state").textContent = link.state;
  $("link-state").className = "state state-" + link.state;
  $("tx").textContent = Number(link.txPerSec).toFixed(1);
  $("rx").textContent = Number(link.rxPerSec).toFixed(1);
  $("retries").textContent = link.retries;
  $("reinits").textContent = link.reinits;
  $("lost").textContent = link.lost === undefined ? "-" : link.lost;
  $("ring-text").textContent = link.ringUsed + " / " + link.ringSize;
  $("ring-fill").style.width = (link.ringSize > 0 ? (100 * link.ringUsed) / link.ringSize : 0) + "%";
  history.tx.push(Number(link.txPerSec) || 0);
  history.rx.push(Number(link.rxPerSec) || 0);
  if (history.tx.length > HISTORY) { history.tx.shift(); history.rx.shift(); }
  const max = Math.max(1, ...history.tx, ...history.rx);
  $("chart-tx").setAttribute("points", spark(history.tx, max));
  $("chart-rx").setAttribute("points", spark(history.rx, max));
}
function renderConsoles(consoles) {
  const box = $("consoles");
  box.replaceChildren();
  for (const [source, lines] of Object.entries(consoles)) {
    const section = el("section", undefined, "console");
    const pre = lines.length === 0 ? el("pre", "(no output yet)", "empty") : el("pre", lines.join("\n"));
    section.append(el("h3", source), pre);
    box.append(section);
    pre.scrollTop = pre.scrollHeight; // show the tail
  }
}
function formatTime(t, clock) {
  // Epoch ms from an older server; otherwise platform time since boot.
  if (t > 1e12) return new Date(t).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  const secs = Math.floor(t / 1000);
  const hh = String(Math.floor(secs / 3600)).padStart(2, "0");
  const mm = String(Math.floor(secs / 60) % 60).padStart(2, "0");
  const ss = String(secs % 60).padStart(2, "0");
  return (clock === "real" ? "uptime " : "simulated ") + hh + ":" + mm + ":" + ss;
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
  renderLink(s.link);
  $("sample").textContent = s.latestSample == null ? "(none yet)" : formatSample(s.latestSample);
  renderConsoles(s.consoles || {});
  if (s.periodMs !== undefined) $("period-now").textContent = s.periodMs + " ms";
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
  } catch (err) {
    $("period-result").textContent = "failed: " + err;
  }
});
`;
