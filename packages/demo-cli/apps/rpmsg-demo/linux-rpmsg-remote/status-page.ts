/**
 * The status page: a complete static HTML document (no scripts) rendered
 * from a {@link StatusHistory}, and its JSON twin.
 *
 * @module
 */
import { renderCpuChart } from "./_cpu-chart.ts";
import { escapeHtml, formatAge, formatBytes, formatCount, formatUptime } from "./_format.ts";
import { STATUS_PAGE_CSS } from "./_status-page-css.ts";
import type { BootRecord, HistoryCounters, StatusHistory } from "./status-history.ts";
import type { IpcCounters, StatusSample } from "../protocol/mod.ts";

/** Options of {@link renderStatusPage}. */
export interface RenderStatusPageOptions {
  /** Linux time now (ms, same clock as the receive times); used for "last update" ages. */
  readonly now: number;
  /** Seconds between automatic reloads (`<meta http-equiv="refresh">`); default 1, 0 for none. */
  readonly refreshSeconds?: number;
  /** Page title; default `"Zephyr status"`. */
  readonly title?: string;
}

function card(label: string, value: string, note = "", extra = ""): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${value}</div>${extra}`
    + (note ? `<div class="note">${note}</div>` : "") + `</div>`;
}

function bar(percent: number): string {
  const w = Math.min(100, Math.max(0, percent)).toFixed(1);
  return `<div class="bar"><span style="width:${w}%"></span></div>`;
}

function linkClass(state: string): string {
  if (/^(bound|up|connected|ok)$/i.test(state)) return "ok";
  if (/^(down|error|failed|lost)/i.test(state)) return "bad";
  return "";
}

function summaryCards(history: StatusHistory, now: number): string {
  const latest = history.latest();
  const s: StatusSample | undefined = latest?.sample;
  const dash = `<small>—</small>`;
  const uptime = s ? escapeHtml(formatUptime(s.t)) : dash;
  const cpu = s?.cpu !== undefined ? `${s.cpu.toFixed(1)}<small> %</small>` : dash;
  const heapTotal = s?.heap ? s.heap.used + s.heap.free : 0;
  const heapPct = s?.heap && heapTotal > 0 ? (s.heap.used / heapTotal) * 100 : 0;
  const heap = s?.heap ? escapeHtml(formatBytes(s.heap.used)) : dash;
  const heapNote = s?.heap ? `of ${escapeHtml(formatBytes(heapTotal))} (${heapPct.toFixed(0)} %)` : "";
  const link = `<span class="state ${linkClass(history.linkState)}">${escapeHtml(history.linkState)}</span>`;
  const age = history.lastUpdateMs === undefined ? undefined : now - history.lastUpdateMs;
  const stale = age !== undefined && age > 3 * (s?.per ?? 1000);
  const ageText = age === undefined ? dash : `<span class="${stale ? "stale" : ""}">${escapeHtml(formatAge(age))}</span>`;
  const bootNote = s ? `boot ${escapeHtml(s.boot)} · seq ${s.seq}` : "";
  const perNote = s?.per !== undefined ? `sampled every ${escapeHtml(formatPeriod(s.per))}` : "";
  return `<section class="cards">`
    + card("Uptime", uptime, bootNote)
    + card("CPU load", cpu, "vCPU, last period", s?.cpu !== undefined ? bar(s.cpu) : "")
    + card("Heap used", heap, heapNote, s?.heap ? bar(heapPct) : "")
    + card("Link", link, "OpenAMP RPMsg")
    + card("Last update", ageText, perNote)
    + `</section>`;
}

function formatPeriod(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function threadTable(sample: StatusSample | undefined): string {
  const threads = sample?.thr ?? [];
  if (threads.length === 0) {
    return `<section class="panel"><h2>Threads</h2><div class="waiting">no thread data in the latest sample</div></section>`;
  }
  const rows = threads.map((t) => `<tr><td class="name">${escapeHtml(t.name)}</td>`
    + `<td><span class="badge">${escapeHtml(t.state)}</span></td>`
    + `<td class="num">${t.cpu.toFixed(1)} %${bar(t.cpu)}</td></tr>`).join("");
  return `<section class="panel"><h2>Threads</h2><table><thead><tr><th>Name</th><th>State</th><th class="num">CPU</th></tr></thead>`
    + `<tbody>${rows}</tbody></table></section>`;
}

function counterList(c: HistoryCounters, ipc: IpcCounters): string {
  const items: [string, number, boolean][] = [
    ["Samples received", c.received, false],
    ["Lost samples", c.lost, c.lost > 0],
    ["Zephyr restarts", c.restarts, c.restarts > 0],
    ["Malformed messages", c.malformed, c.malformed > 0],
    ["Messages sent (tx)", ipc.tx, false],
    ["Send retries", ipc.rt, ipc.rt > 0],
    ["Link re-inits", ipc.ri, ipc.ri > 0],
    ["Dropped by Zephyr (queue full)", ipc.dr, ipc.dr > 0],
    ["Queued now", ipc.q, false],
  ];
  const rows = items.map(([label, v, warn]) =>
    `<div${warn ? ` class="warn"` : ""}><dt>${escapeHtml(label)}</dt><dd>${formatCount(v)}</dd></div>`).join("");
  return `<section class="panel"><h2>Counters</h2><dl class="counters">${rows}</dl></section>`;
}

/**
 * Render the status page as a complete HTML document. Static: no scripts,
 * reloads itself with `<meta http-equiv="refresh">`. Every string that came
 * from Zephyr (thread names and states, the link state) is escaped.
 *
 * @example
 * ```ts
 * const history = new StatusHistory();
 * history.add({ v: 1, seq: 0, boot: "1a2b3c4d", t: 1000, cpu: 7.5 }, 1000);
 * const html = renderStatusPage(history, { now: 1200 });
 * ```
 */
export function renderStatusPage(history: StatusHistory, options: RenderStatusPageOptions): string {
  const refresh = options.refreshSeconds ?? 1;
  if (!Number.isFinite(refresh) || refresh < 0) {
    throw new RangeError(`[rpmsg-demo] refreshSeconds must be 0 or more, got ${refresh}`);
  }
  if (typeof options.now !== "number" || !Number.isFinite(options.now)) {
    throw new TypeError(`[rpmsg-demo] renderStatusPage needs a finite now (ms), got ${String(options.now)}`);
  }
  const title = escapeHtml(options.title ?? "Zephyr status");
  const entries = history.entries();
  const latest = history.latest()?.sample;
  const chart = renderCpuChart(entries);
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1">`
    + (refresh > 0 ? `<meta http-equiv="refresh" content="${refresh}">` : "")
    + `<title>${title}</title><style>${STATUS_PAGE_CSS}</style></head><body><main>`
    + `<header><h1>${title}</h1><span class="sub">Zephyr guest → Linux guest over OpenAMP RPMsg on Xen static shared memory</span></header>`
    + summaryCards(history, options.now)
    + `<section class="panel"><h2>CPU load</h2>${chart}</section>`
    + threadTable(latest)
    + counterList(history.counters, history.ipc)
    + `<footer>Written by rpmsg-remote on the Linux guest · ${entries.length} samples kept`
    + (refresh > 0 ? ` · refreshes every ${refresh} s` : "") + ` · v8r</footer>`
    + `</main></body></html>\n`;
}

/** The document written to `zephyr-status.json`. */
export interface StatusJson {
  /** Protocol version of the samples. */
  readonly v: 1;
  /** Link state set by the caller. */
  readonly link: string;
  /** Linux time (ms) of the newest sample, or null. */
  readonly lastUpdateMs: number | null;
  /** Received, lost, restarts, malformed, stale. */
  readonly counters: HistoryCounters;
  /** IPC counters of the newest sample. */
  readonly ipc: IpcCounters;
  /** The boots seen, oldest first. */
  readonly boots: readonly BootRecord[];
  /** The newest sample, or null. */
  readonly latest: StatusSample | null;
  /** The kept samples in short form, oldest first. */
  readonly history: readonly { boot: string; seq: number; t: number; cpu: number | null; receivedMs: number }[];
}

/** Build the JSON twin of the status page (same facts, for programs). */
export function statusJson(history: StatusHistory): StatusJson {
  return {
    v: 1,
    link: history.linkState,
    lastUpdateMs: history.lastUpdateMs ?? null,
    counters: history.counters,
    ipc: history.ipc,
    boots: history.boots,
    latest: history.latest()?.sample ?? null,
    history: history.entries().map((e) => ({
      boot: e.sample.boot, seq: e.sample.seq, t: e.sample.t, cpu: e.sample.cpu ?? null, receivedMs: e.receivedMs,
    })),
  };
}

/** Render {@link statusJson} as the text of `zephyr-status.json`. */
export function renderStatusJson(history: StatusHistory): string {
  return JSON.stringify(statusJson(history)) + "\n";
}
