/**
 * The status page: a complete HTML document rendered from a
 * {@link StatusHistory}, and its JSON twin. The page is correct as written
 * (and Linux rewrites it every period, samples or not); one small inline
 * script keeps its "last update" age and stale mark true in the browser
 * between writes, and without JavaScript it is a plain static file.
 *
 * @module
 */
import { renderCpuChart } from "./_cpu-chart.ts";
import { escapeHtml, formatAge, formatBytes, formatCount, formatUptime } from "./_format.ts";
import { STATUS_PAGE_CSS } from "./_status-page-css.ts";
import { STATUS_PAGE_SCRIPT } from "./_status-page-script.ts";
import type { BootRecord, HistoryCounters, StatusHistory } from "./status-history.ts";
import { DEFAULT_PERIOD_MS, type IpcCounters, type StatusSample } from "../protocol/mod.ts";

/** Periods without a sample after which the page says its data is stale. */
export const STALE_PERIODS = 3;

/** How old the newest sample is at `now`, and whether that makes the data stale. */
export interface Freshness {
  /** Time since the newest sample was received, ms; undefined before the first. */
  readonly ageMs: number | undefined;
  /** Age beyond which the data is stale: {@link STALE_PERIODS} sampling periods. */
  readonly staleAfterMs: number;
  /** No sample for more than `staleAfterMs`. */
  readonly stale: boolean;
}

/**
 * The freshness of `history` at `now` (Linux time, ms).
 * @example
 * ```ts
 * freshness(history, history.lastUpdateMs! + 5000).stale; // true at the default 1 s period
 * ```
 */
export function freshness(history: StatusHistory, now: number): Freshness {
  const ageMs = history.lastUpdateMs === undefined ? undefined : Math.max(0, now - history.lastUpdateMs);
  const staleAfterMs = STALE_PERIODS * (history.latest()?.sample.per ?? DEFAULT_PERIOD_MS);
  return { ageMs, staleAfterMs, stale: ageMs !== undefined && ageMs > staleAfterMs };
}

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

function summaryCards(history: StatusHistory, fresh: Freshness): string {
  const latest = history.latest();
  const s: StatusSample | undefined = latest?.sample;
  const dash = `<small>—</small>`;
  const uptime = s ? escapeHtml(formatUptime(s.t)) : dash;
  const cpu = s?.cpu !== undefined ? `${s.cpu.toFixed(1)}<small> %</small>` : dash;
  const heapTotal = s?.heap ? s.heap.used + s.heap.free : 0;
  const heapPct = s?.heap && heapTotal > 0 ? (s.heap.used / heapTotal) * 100 : 0;
  const heap = s?.heap ? escapeHtml(formatBytes(s.heap.used)) : dash;
  const heapNote = s?.heap ? `of ${escapeHtml(formatBytes(heapTotal))} (${heapPct.toFixed(0)} %)` : "";
  // A link that has carried nothing for three periods is not shown as healthy, whatever its handshake says.
  const linkTone = fresh.stale ? "bad" : linkClass(history.linkState);
  const link = `<span class="state ${linkTone}">${escapeHtml(history.linkState)}</span>`;
  const linkNote = fresh.stale && fresh.ageMs !== undefined ? `no sample for ${escapeHtml(formatAge(fresh.ageMs).replace(/ ago$/, ""))}` : "OpenAMP RPMsg";
  const ageText = fresh.ageMs === undefined
    ? dash
    : `<span id="age" class="${fresh.stale ? "stale" : ""}" data-age-ms="${Math.round(fresh.ageMs)}" data-stale-after-ms="${fresh.staleAfterMs}">${escapeHtml(formatAge(fresh.ageMs))}</span>`;
  const bootNote = s ? `boot ${escapeHtml(s.boot)} · seq ${s.seq}` : "";
  const perNote = s?.per !== undefined ? `sampled every ${escapeHtml(formatPeriod(s.per))}` : "";
  return `<section class="cards">`
    + card("Uptime", uptime, bootNote)
    + card("CPU load", cpu, "vCPU, last period", s?.cpu !== undefined ? bar(s.cpu) : "")
    + card("Heap used", heap, heapNote, s?.heap ? bar(heapPct) : "")
    + card("Link", link, linkNote)
    + card("Last update", ageText, perNote)
    + `</section>`;
}

/** Always in the page (hidden while fresh), so the script can show it when the writer has gone quiet. */
function staleBanner(fresh: Freshness): string {
  const age = fresh.ageMs === undefined ? "" : formatAge(fresh.ageMs).replace(/ ago$/, "");
  return `<div id="stale-banner" class="banner" role="status"${fresh.stale ? "" : " hidden"}>No status sample from Zephyr for <b id="stale-age">${escapeHtml(age)}</b>: `
    + `the figures below are stale (a sample is due every ${escapeHtml(formatPeriod(fresh.staleAfterMs / STALE_PERIODS))}).</div>`;
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

type CounterRow = readonly [label: string, value: number, warn: boolean];

function counterRows(rows: readonly CounterRow[]): string {
  return rows.map(([label, v, warn]) =>
    `<div${warn ? ` class="warn"` : ""}><dt>${escapeHtml(label)}</dt><dd>${formatCount(v)}</dd></div>`).join("");
}

/**
 * Linux's totals over every Zephyr boot, and beside them the counters the
 * newest sample carries for its own boot. Zephyr's `tx` counts the sends
 * before that sample, so "Sends" adds the sample itself: both sides then
 * count the newest sample, and "received from this boot" is the figure to
 * compare with it.
 */
function counterList(c: HistoryCounters, ipc: IpcCounters, latest: StatusSample | undefined, boot: BootRecord | undefined): string {
  const linux: CounterRow[] = [
    ["Samples received", c.received, false],
    ["Lost samples", c.lost, c.lost > 0],
    ["Zephyr restarts seen", c.restarts, c.restarts > 0],
    ["Malformed messages", c.malformed, c.malformed > 0],
  ];
  const zephyr: CounterRow[] = [
    ["Sends (tx), this one included", latest === undefined ? 0 : ipc.tx + 1, false],
    ["Received from this boot", boot?.samples ?? 0, false],
    ["Send retries", ipc.rt, ipc.rt > 0],
    ["Link re-inits", ipc.ri, ipc.ri > 0],
    ["Dropped by Zephyr (dr)", ipc.dr, ipc.dr > 0],
    ["Queued now", ipc.q, false],
  ];
  const zephyrTitle = latest === undefined ? "Zephyr (no sample yet)" : `Zephyr boot ${escapeHtml(latest.boot)}, as of seq ${latest.seq}`;
  return `<section class="panel"><h2>Counters</h2><div class="counter-groups">`
    + `<div><h3>Linux, every Zephyr boot</h3><dl class="counters">${counterRows(linux)}</dl></div>`
    + `<div><h3>${zephyrTitle}</h3><dl class="counters">${counterRows(zephyr)}</dl></div>`
    + `</div></section>`;
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
  const boot = history.boots.at(-1);
  const fresh = freshness(history, options.now);
  const chart = renderCpuChart(entries);
  return `<!DOCTYPE html>\n<html lang="en"${fresh.stale ? ` class="is-stale"` : ""}><head><meta charset="utf-8">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1">`
    + (refresh > 0 ? `<meta http-equiv="refresh" content="${refresh}">` : "")
    + `<title>${title}</title><style>${STATUS_PAGE_CSS}</style></head><body><main>`
    + `<header><h1>${title}</h1><span class="sub">Zephyr guest → Linux guest over OpenAMP RPMsg on Xen static shared memory</span></header>`
    + staleBanner(fresh)
    + summaryCards(history, fresh)
    + `<section class="panel"><h2>CPU load</h2>${chart}</section>`
    + threadTable(latest)
    + counterList(history.counters, history.ipc, latest, boot?.boot === latest?.boot ? boot : undefined)
    + `<footer>Written by rpmsg-remote on the Linux guest · ${entries.length} samples kept`
    + (refresh > 0 ? ` · refreshes every ${refresh} s` : "") + ` · v8r</footer>`
    + `</main><script>${STATUS_PAGE_SCRIPT}</script></body></html>\n`;
}

/** The document written to `zephyr-status.json`. */
export interface StatusJson {
  /** Protocol version of the samples. */
  readonly v: 1;
  /** Link state set by the caller. */
  readonly link: string;
  /** Linux time (ms) of the newest sample, or null. */
  readonly lastUpdateMs: number | null;
  /** Linux time (ms) the document was written at, or null when not given. */
  readonly writtenMs: number | null;
  /** Age of the newest sample when written, ms, or null. */
  readonly ageMs: number | null;
  /** No sample for more than `staleAfterMs` when written: the figures are stale. */
  readonly stale: boolean;
  /** {@link STALE_PERIODS} sampling periods, ms. */
  readonly staleAfterMs: number;
  /** Received, lost, restarts, malformed, stale, out of order. */
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

/** Options of {@link statusJson}. */
export interface StatusJsonOptions {
  /** Linux time now (ms): the age and stale mark are as of then; without it they are left out (null, not stale). */
  readonly now?: number;
}

/** Build the JSON twin of the status page (same facts, for programs). */
export function statusJson(history: StatusHistory, options: StatusJsonOptions = {}): StatusJson {
  const fresh = options.now === undefined ? undefined : freshness(history, options.now);
  return {
    v: 1,
    link: history.linkState,
    lastUpdateMs: history.lastUpdateMs ?? null,
    writtenMs: options.now ?? null,
    ageMs: fresh?.ageMs ?? null,
    stale: fresh?.stale ?? false,
    staleAfterMs: fresh?.staleAfterMs ?? freshness(history, 0).staleAfterMs,
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
export function renderStatusJson(history: StatusHistory, options: StatusJsonOptions = {}): string {
  return JSON.stringify(statusJson(history, options)) + "\n";
}
