/**
 * Both sides of a link on this one thread: CPU time per message (plain JS, the
 * split-virtqueue floor and v8r interleaved), heap bytes allocated per
 * message and (v8r) shared-memory imports per message, with the host sending
 * windows of 64 messages that the remote drains.
 */
import { getHeapSpaceStatistics } from "node:v8";
import { countShmImports, importCounts } from "../src/_import-counter.ts";
import type { OpenAmp } from "../src/openamp.ts";
import { type Impl, RING, WINDOW } from "./_scenario.ts";
import type { Link, LinkSide } from "./_link.ts";
import { plainLink, plainLinkBytes } from "./_plain-link.ts";
import { v8rLink } from "./_v8r-link.ts";
import { virtqLink } from "./_virtq-link.ts";

/** Figures of one direction. */
export interface OneThreadFigures {
  heapBytesPerMsg: number;
  /** v8r only: shared-memory imports per one-way message, both sides together. */
  importsPerMsg?: number;
  importsByName?: Record<string, number>;
}

interface Pair { from: Link; to: Link; imports?: () => number; byName?: () => Record<string, number> }

/** v8r (oa given) or a plain-JS link. */
type Which = OpenAmp | Exclude<Impl, "v8r">;

/** Both sides on one buffer, bound; with count, v8r's imports are counted (which costs time and heap: not for the other figures). */
async function pair(which: Which, from: LinkSide, count = false): Promise<Pair> {
  const counts = importCounts();
  const oa = typeof which === "string" ? undefined : which;
  const make = (shm: SharedArrayBuffer, side: LinkSide): Promise<Link> | Link => {
    if (oa) return v8rLink(oa, shm, side, () => {}, count ? countShmImports(counts) : undefined);
    return which === "vq" ? virtqLink(shm, side, () => {}) : plainLink(shm, side, RING.num, RING.slot, () => {});
  };
  const shm = new SharedArrayBuffer(which === "js" ? plainLinkBytes(RING.num, RING.slot) : 0x40000);
  const host = await make(shm, "host"), remote = await make(shm, "remote");
  for (const l of [host, remote]) l.open(0, () => {});
  for (let i = 0; i < 1000 && !(host.ready() && remote.ready()); i++) { host.poll(); remote.poll(); }
  const [a, b] = from === "host" ? [host, remote] : [remote, host];
  return oa ? { from: a, to: b, imports: () => counts.total, byName: () => ({ ...counts.byName }) } : { from: a, to: b };
}

/** Send `windows` windows of 64 messages of `payload`, each drained by the receiver. */
function traffic(p: Pair, payload: Uint8Array, windows: number): void {
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < WINDOW; i++) if (!p.from.send(0, payload)) throw new Error("[bench] one-thread send found no buffer");
    p.to.poll();
  }
}

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_used_size ?? 0;
}

/** The least growth of new space over a few runs of fn (a scavenge in between only lowers it; the measuring itself is in it too). */
function newSpaceGrowth(fn: () => void): number {
  let least = Infinity;
  for (let t = 0; t < 7; t++) {
    const h0 = newSpaceUsed();
    fn();
    const d = newSpaceUsed() - h0;
    if (d >= 0) least = Math.min(least, d);
  }
  return least;
}

/** Process CPU µs per message over `windows` windows of traffic. */
function cpuPerMessage(p: Pair, payload: Uint8Array, windows: number): number {
  const cpu0 = process.cpuUsage();
  traffic(p, payload, windows);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / (windows * WINDOW);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/**
 * CPU µs per message host -> remote of plain JS, the split-virtqueue floor and v8r side by side: all warmed up,
 * then `rounds` runs of `windows` windows each, interleaved (the order turns round each run), and the median of
 * each: a load that comes and goes hits them alike.
 */
export async function cpuSideBySide(oa: OpenAmp, size: number, rounds = 7, windows = 600): Promise<Record<Impl, number>> {
  const pairs: Record<Impl, Pair> = { js: await pair("js", "host"), vq: await pair("vq", "host"), v8r: await pair(oa, "host") };
  const payload = new Uint8Array(size);
  const impls = Object.keys(pairs) as Impl[];
  for (const k of impls) traffic(pairs[k], payload, 2000); // warm up (JIT)
  const got: Record<Impl, number[]> = { js: [], vq: [], v8r: [] };
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 ? impls : [...impls].reverse()) got[k].push(cpuPerMessage(pairs[k], payload, windows));
  }
  for (const p of Object.values(pairs)) {
    p.from.dispose();
    p.to.dispose();
  }
  return { js: median(got.js), vq: median(got.vq), v8r: median(got.v8r) };
}

/** Heap bytes allocated per message of one implementation in one direction, and (v8r) its imports per message. */
export async function oneThread(which: Which, from: LinkSide, size: number): Promise<OneThreadFigures> {
  const p = await pair(which, from);
  const payload = new Uint8Array(size);
  traffic(p, payload, 2000); // warm up (JIT)
  const heap = newSpaceGrowth(() => traffic(p, payload, 20)) - newSpaceGrowth(() => traffic(p, payload, 0));
  const figures: OneThreadFigures = { heapBytesPerMsg: Math.max(0, heap) / (20 * WINDOW) };
  p.from.dispose();
  p.to.dispose();
  if (typeof which !== "string") {
    const c = await pair(which, from, true);
    traffic(c, payload, 100);
    figures.importsPerMsg = importsPerMessage(c, payload, figures);
    c.from.dispose();
    c.to.dispose();
  }
  return figures;
}

/** Shared-memory imports per message over 100 windows in steady state; fills figures.importsByName. */
function importsPerMessage(p: Pair, payload: Uint8Array, figures: OneThreadFigures): number {
  const imports = p.imports ?? (() => 0), byName = p.byName ?? ((): Record<string, number> => ({}));
  const i0 = imports(), b0 = byName();
  traffic(p, payload, 100);
  const n = 100 * WINDOW;
  const b1 = byName();
  figures.importsByName = Object.fromEntries(Object.entries(b1).map(([k, v]) => [k, (v - (b0[k] ?? 0)) / n]).filter(([, v]) => (v as number) > 0));
  return (imports() - i0) / n;
}
