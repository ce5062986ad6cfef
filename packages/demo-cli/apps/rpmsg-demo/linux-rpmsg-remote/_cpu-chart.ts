/** Internal: the CPU-load chart of the status page, as inline SVG. */
import { escapeHtml, formatAgoLabel } from "./_format.ts";
import type { HistoryEntry } from "./status-history.ts";

/** Chart geometry in SVG user units. */
export const CHART = { width: 720, height: 240, left: 48, right: 16, top: 14, bottom: 34 } as const;

/** Axis tick steps, seconds: the first that gives at most six ticks over the span. */
export const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

interface Point {
  readonly pos: number;
  readonly cpu: number | undefined;
  readonly breakBefore: boolean;
  readonly gap: boolean;
  readonly restart: boolean;
}

/**
 * Place samples on a time line in ms: Zephyr's `t` within a boot (so late
 * queued samples land where they were taken), Linux receive time across a
 * restart. A gap in `seq`, a restart or a missing `cpu` breaks the line.
 */
function layout(entries: readonly HistoryEntry[]): Point[] {
  const points: Point[] = [];
  let prev: HistoryEntry | undefined;
  let pos = 0;
  for (const e of entries) {
    if (prev) {
      const sameBoot = prev.sample.boot === e.sample.boot;
      const step = sameBoot ? e.sample.t - prev.sample.t : e.receivedMs - prev.receivedMs;
      pos += Math.max(step, sameBoot ? 0 : (e.sample.per ?? 1000));
    }
    const breakBefore = prev === undefined || e.restart || e.lostBefore > 0 || prev.sample.cpu === undefined;
    const gap = prev !== undefined && !e.restart && e.lostBefore > 0;
    points.push({ pos, cpu: e.sample.cpu, breakBefore, gap, restart: e.restart && prev !== undefined });
    prev = e;
  }
  return points;
}

function tickStep(spanS: number): number {
  for (const step of TICK_STEPS_S) if (spanS / step <= 6) return step;
  return TICK_STEPS_S[TICK_STEPS_S.length - 1] as number;
}

function n(v: number): string {
  return v.toFixed(1);
}

/** Tops the y axis can have, percent: the smallest that holds the highest load shown (a quiet Zephyr's 0.3 % is not a flat line). */
const Y_TOPS = [1, 2, 5, 10, 25, 50, 100];

/** The top of the y axis for loads up to `max` percent. */
export function chartTop(max: number): number {
  return Y_TOPS.find((t) => max <= t) ?? 100;
}

function axes(spanMs: number, top: number, x: (ago: number) => number, y: (cpu: number) => number): string {
  const out: string[] = [];
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const pct = top * f;
    out.push(`<line class="grid" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${n(y(pct))}" y2="${n(y(pct))}"/>`);
    out.push(`<text class="ylabel" x="${CHART.left - 8}" y="${n(y(pct) + 4)}" text-anchor="end">${Number(pct.toFixed(2))}%</text>`);
  }
  const spanS = spanMs / 1000;
  const step = tickStep(spanS);
  for (let ago = 0; ago <= spanS + 1e-9; ago += step) {
    const px = x(ago * 1000);
    out.push(`<line class="tick" x1="${n(px)}" x2="${n(px)}" y1="${CHART.height - CHART.bottom}" y2="${CHART.height - CHART.bottom + 5}"/>`);
    out.push(`<text class="xlabel" x="${n(px)}" y="${CHART.height - CHART.bottom + 19}" text-anchor="middle">${escapeHtml(formatAgoLabel(ago, step))}</text>`);
  }
  const base = CHART.height - CHART.bottom;
  out.push(`<line class="axis" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${base}" y2="${base}"/>`);
  out.push(`<line class="axis" x1="${CHART.left}" x2="${CHART.left}" y1="${CHART.top}" y2="${base}"/>`);
  return out.join("");
}

function series(points: readonly Point[], px: (p: Point) => number, y: (cpu: number) => number): string {
  const out: string[] = [];
  let run: string[] = [];
  const base = n(y(0));
  const flush = () => {
    if (run.length > 1) {
      const first = run[0]?.split(",")[0] ?? "0";
      const last = run[run.length - 1]?.split(",")[0] ?? "0";
      out.push(`<polygon class="area" points="${first},${base} ${run.join(" ")} ${last},${base}"/>`);
      out.push(`<polyline class="line" points="${run.join(" ")}"/>`);
    }
    run = [];
  };
  for (const p of points) {
    const before = run[run.length - 1];
    if (p.breakBefore) flush();
    if (p.gap && before !== undefined && p.cpu !== undefined) {
      const [x1, y1] = before.split(",");
      out.push(`<line class="gap" x1="${x1}" y1="${y1}" x2="${n(px(p))}" y2="${n(y(p.cpu))}"><title>lost samples</title></line>`);
    }
    if (p.restart) {
      const rx = n(px(p));
      out.push(`<line class="restart" x1="${rx}" x2="${rx}" y1="${CHART.top}" y2="${base}"/>`);
      out.push(`<text class="restart-label" x="${rx}" y="${CHART.top + 10}" dx="4">restart</text>`);
    }
    if (p.cpu === undefined) continue;
    run.push(`${n(px(p))},${n(y(p.cpu))}`);
  }
  flush();
  return out.join("");
}

/** Render the CPU-load chart of `entries` (oldest first) as an `<svg>` element. */
export function renderCpuChart(entries: readonly HistoryEntry[]): string {
  const points = layout(entries);
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const lastPos = points[points.length - 1]?.pos ?? 0;
  const spanMs = Math.max(lastPos - (points[0]?.pos ?? 0), (entries[entries.length - 1]?.sample.per ?? 1000) * 10);
  const x = (agoMs: number) => CHART.left + plotW - (agoMs / spanMs) * plotW;
  const top = chartTop(Math.max(0, ...points.map((p) => p.cpu ?? 0)));
  const y = (cpu: number) => CHART.top + plotH - (Math.min(top, Math.max(0, cpu)) / top) * plotH;
  const px = (p: Point) => x(lastPos - p.pos);
  const last = [...points].reverse().find((p) => p.cpu !== undefined);
  const dot = last?.cpu !== undefined ? `<circle class="dot" cx="${n(px(last))}" cy="${n(y(last.cpu))}" r="4"/>` : "";
  const empty = points.length === 0
    ? `<text class="empty" x="${CHART.left + plotW / 2}" y="${CHART.top + plotH / 2}" text-anchor="middle">Waiting for the first status sample from Zephyr…</text>`
    : "";
  return `<svg class="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">`
    + `<title id="chart-title">Zephyr vCPU load, percent, over the last ${points.length} samples</title>`
    + axes(spanMs, top, x, y) + series(points, px, y) + dot + empty + `</svg>`;
}
