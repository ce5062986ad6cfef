/**
 * Replays a recorded upstream run (../shared/conformance/<family>) through our
 * devices. Before every step the upstream image of the previous step is loaded
 * into shared memory, so each side consumes exactly what upstream's peer wrote;
 * after the step our image is compared with upstream's outside the ignore ranges.
 */
import { readFile } from "node:fs/promises";
import { openamp } from "./_pair.ts";
import type { RpmsgDevice } from "../src/rpmsg-device.ts";
import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";
import { RpmsgError } from "../src/errors.ts";
import { staticVringsLayout } from "../src/static-vrings-layout.ts";

type Side = "host" | "remote";
type Json = Record<string, unknown>;
interface Kick { from: Side; id: number }

/** Results of one replay, by kind of check. */
export interface ReplayReport {
  steps: number;
  /** Bytes compared strictly (outside the ignore ranges), summed over all steps. */
  comparedBytes: number;
  imageMismatches: string[];
  receivedMismatches: string[];
  nsMismatches: string[];
  retMismatches: string[];
  kickMismatches: string[];
  endpointMismatches: string[];
  bufferSizeMismatches: string[];
  rets: Map<number, number | null>;
  received: Map<number, Json[]>;
}

export const conformanceRoot = new URL("../../../../shared/conformance/", import.meta.url);

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string): Uint8Array => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function loadImage(dir: URL, file: string): Promise<Uint8Array> {
  const raw = await readFile(new URL(file, dir));
  if (!file.endsWith(".gz")) return new Uint8Array(raw);
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function maskFor(size: number, ignore: Json, dump: string): Uint8Array {
  const mask = new Uint8Array(size);
  const mark = (ranges: unknown): void => {
    for (const [a, b] of ranges as [number, number][]) mask.fill(1, a, b);
  };
  for (const r of Object.values(ignore["every_dump"] as Json)) mark(r);
  for (const r of Object.values((ignore["dumps"] as Json)[dump] as Json)) mark(r);
  return mask;
}

type Kit = Awaited<ReturnType<typeof makeKit>>;

/** Devices, endpoints and the kick queue of one replay. */
async function makeKit(family: "static-vrings" | "resource-table", size: number) {
  const isA = family === "static-vrings";
  const shm = new SharedArrayBuffer(size);
  const oa = await openamp();
  const dev: Partial<Record<Side, RpmsgDevice>> = {};
  const epts: Record<Side, Map<string, RpmsgEndpoint>> = { host: new Map(), remote: new Map() };
  const kit = { isA, shm, mem: new Uint8Array(shm), dev, epts, queue: [] as Kick[], stepKicks: [] as Kick[], stepReceived: [] as Json[], stepNs: [] as Json[] };
  const onMessage = (side: Side, name: string, ep: () => RpmsgEndpoint | undefined) => (data: Uint8Array, src: number): void => {
    kit.stepReceived.push({ side, endpoint: name, ept_addr: ep()?.addr, src, len: data.length, payload_offset: data.byteOffset, payload_hex: hex(data) });
  };
  const hostNameService = (name: string, addr: number): void => {
    kit.stepNs.push({ side: "host", callback: "ns_bind_cb", name, dest: addr });
    // like the Linux demo and Zephyr: bind on announcement, destroy on unbind
    const ep: RpmsgEndpoint | undefined = dev.host?.createEndpoint({ name, dst: addr, onMessage: onMessage("host", name, () => ep), onUnbound: () => {
      kit.stepNs.push({ side: "host", callback: "ns_unbind_cb(ept)->rpmsg_destroy_ept(ept)", name, dest: ep?.dest });
      ep?.destroy();
      epts.host.delete(name);
    } });
    if (ep) epts.host.set(name, ep);
  };
  const layout = isA ? staticVringsLayout({ shmSize: size })
    : { kind: "resource-table" as const, shmSize: size, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x40000 };
  const create = (side: Side): Promise<RpmsgDevice> => oa.createRpmsgDevice({
    role: side, layout, shm: { buffer: shm },
    notify: (id) => { const k = { from: side, id }; kit.stepKicks.push(k); kit.queue.push(k); },
    onNameService: side === "host" ? hostNameService : undefined,
  });
  return { ...kit, create, onMessage };
}

/** Perform the API call(s) of one step; returns the C-level return value. */
async function perform(kit: Kit, step: Json, report: ReplayReport): Promise<number | null> {
  const { name, actor, call } = step as { name: string; actor: string; call: string };
  const args = step["args"] as Json;
  if (name === "host-init") {
    kit.dev.host = await kit.create("host");
    return 0;
  }
  if (name === "remote-init") {
    kit.dev.remote = await kit.create("remote");
    return kit.dev.remote.stats().linkUp ? 0 : -1;
  }
  if (call.startsWith("rpmsg_create_ept")) {
    const side = actor as Side;
    const n = args["name"] as string;
    const ep: RpmsgEndpoint | undefined = kit.dev[side]?.createEndpoint({ name: n, onMessage: kit.onMessage(side, n, () => ep) });
    if (ep) kit.epts[side].set(n, ep);
    const assigned = (step["extra"] as Json | undefined)?.["assigned_addr"];
    if (assigned !== undefined && ep?.addr !== assigned) report.endpointMismatches.push(`step ${String(step["index"])}: assigned ${ep?.addr}`);
    return 0;
  }
  if (call.startsWith("rpmsg_send") || call.startsWith("rpmsg_trysend")) {
    const ep = kit.epts[args["side"] as Side].get(args["endpoint"] as string);
    try {
      return ep ? ep.trySendTruncating(unhex(args["payload_hex"] as string)) : -1;
    } catch (err) {
      return err instanceof RpmsgError ? err.errno : -1;
    }
  }
  if (call.startsWith("rpmsg_destroy_ept")) {
    kit.epts[actor as Side].get(args["name"] as string)?.destroy();
    kit.epts[actor as Side].delete(args["name"] as string);
  }
  return null;
}

/** Deliver the kicks the step delivers, checking they are the oldest we queued. */
function deliver(kit: Kit, step: Json, report: ReplayReport, where: string): void {
  for (const d of (step["delivered"] as Json[]) ?? []) {
    const k = kit.queue.shift();
    const id = (kit.isA ? d["vring_index"] : d["notifyid"]) as number;
    if (!k || k.from !== d["from"] || k.id !== id) report.kickMismatches.push(`${where}: delivered ${JSON.stringify(d)}, our queue had ${JSON.stringify(k)}`);
    kit.dev[d["to"] as Side]?.notified(id);
  }
}

function compareImage(mem: Uint8Array, expected: Uint8Array, mask: Uint8Array, where: string, report: ReplayReport): void {
  const diffs: number[] = [];
  for (let i = 0; i < mem.length && diffs.length < 8; i++) {
    if (mask[i]) continue;
    report.comparedBytes++;
    if (mem[i] !== expected[i]) diffs.push(i);
  }
  if (diffs.length) report.imageMismatches.push(`${where}: bytes differ at ${diffs.map((o) => `0x${o.toString(16)} (ours ${mem[o]}, upstream ${expected[o]})`).join(", ")}`);
}

/** Run the whole trace of a family; never throws on mismatches, reports them. */
export async function replayFamily(family: "static-vrings" | "resource-table"): Promise<ReplayReport> {
  const dir = new URL(`${family}/`, conformanceRoot);
  const trace = JSON.parse(await readFile(new URL("trace.json", dir), "utf8")) as Json;
  const ignore = JSON.parse(await readFile(new URL("ignore-ranges.json", dir), "utf8")) as Json;
  const size = (trace["shm"] as Json)["size"] as number;
  const kit = await makeKit(family, size);
  const report: ReplayReport = {
    steps: 0, comparedBytes: 0, imageMismatches: [], receivedMismatches: [], nsMismatches: [], retMismatches: [], kickMismatches: [],
    endpointMismatches: [], bufferSizeMismatches: [], rets: new Map(), received: new Map(),
  };
  let prevDump: string | undefined;
  for (const step of trace["steps"] as Json[]) {
    const idx = step["index"] as number;
    const where = `step ${idx} ${String(step["name"])}`;
    const dump = step["dump"] as string;
    kit.mem.set(await loadImage(dir, prevDump ?? dump)); // each side consumes upstream's image
    kit.stepKicks.length = 0; // reset in place: the callbacks hold these arrays
    kit.stepReceived.length = 0;
    kit.stepNs.length = 0;
    const ret = await perform(kit, step, report);
    deliver(kit, step, report, where);
    checkStep(report, step, where, { ...kit, ret });
    compareImage(kit.mem, await loadImage(dir, dump), maskFor(size, ignore, dump), where, report);
    checkBufferSizes(report, trace, idx, kit.dev);
    report.rets.set(idx, ret);
    report.received.set(idx, kit.stepReceived.slice());
    prevDump = dump;
    report.steps++;
  }
  kit.dev.host?.dispose();
  kit.dev.remote?.dispose();
  return report;
}

interface StepState {
  ret: number | null; stepKicks: Kick[]; stepReceived: Json[]; stepNs: Json[]; isA: boolean; queue: Kick[];
  epts: Record<Side, Map<string, RpmsgEndpoint>>; dev: Partial<Record<Side, RpmsgDevice>>;
}

function checkStep(report: ReplayReport, step: Json, where: string, s: StepState): void {
  const want = step["ret"];
  if (typeof want === "number" && want !== s.ret) report.retMismatches.push(`${where}: ret ${s.ret}, upstream ${want}`);
  const kicks = (step["kicks"] as Json[]).map((k) => ({ from: k["from"], id: s.isA ? k["vring_index"] : k["notifyid"] }));
  if (JSON.stringify(kicks) !== JSON.stringify(s.stepKicks)) report.kickMismatches.push(`${where}: kicks ${JSON.stringify(s.stepKicks)}, upstream ${JSON.stringify(kicks)}`);
  // vdev-level kicks (resource table: notify id of the vdev) are dropped by the harness, as upstream's receiver ignores them
  for (let i = s.queue.length - 1; i >= 0; i--) {
    const k = (step["kicks"] as Json[]).find((x) => x["vring_index"] === -1 && x["notifyid"] === s.queue[i]?.id);
    if (k && s.queue[i]?.from === "host" && !s.isA) s.queue.splice(i, 1);
  }
  const pick = (r: Json): Json => ({ side: r["side"], endpoint: r["endpoint"], ept_addr: r["ept_addr"], src: r["src"], len: r["len"], payload_offset: r["payload_offset"], payload_hex: r["payload_hex"] });
  const rec = JSON.stringify((step["received"] as Json[]).map(pick));
  if (rec !== JSON.stringify(s.stepReceived.map(pick))) report.receivedMismatches.push(`${where}: received ${JSON.stringify(s.stepReceived)}, upstream ${rec}`);
  const ns = JSON.stringify((step["ns_callbacks"] as Json[]).map((n) => ({ side: n["side"], callback: n["callback"], name: n["name"], dest: n["dest"] })));
  if (ns !== JSON.stringify(s.stepNs)) report.nsMismatches.push(`${where}: ns ${JSON.stringify(s.stepNs)}, upstream ${ns}`);
  const after = step["endpoints_after"] as Record<Side, Json[]>;
  for (const side of ["host", "remote"] as const) {
    const ours = s.dev[side] ? [{ name: "NS", addr: 53, dest_addr: 53 }, ...[...s.epts[side].values()].map((e) => ({ name: e.name, addr: e.addr, dest_addr: e.dest }))] : [];
    const sort = (l: Json[]): string => JSON.stringify([...l].sort((a, b) => (a["addr"] as number) - (b["addr"] as number)));
    if (sort(ours) !== sort(after[side])) report.endpointMismatches.push(`${where}: ${side} endpoints ${sort(ours)}, upstream ${sort(after[side])}`);
  }
}

function checkBufferSizes(report: ReplayReport, trace: Json, idx: number, dev: Partial<Record<Side, RpmsgDevice>>): void {
  for (const side of ["host", "remote"] as const) {
    for (const e of ((trace["buffer_sizes"] as Json)[side] as Json[])) {
      if (e["after_step"] !== idx) continue;
      const norm = (v: unknown): number | null => (typeof v === "number" && v < 0 ? null : (v as number));
      const tx = dev[side]?.txBufferSize();
      const rx = dev[side]?.rxBufferSize();
      if (tx !== norm(e["rpmsg_virtio_get_tx_buffer_size"]) || rx !== norm(e["rpmsg_virtio_get_rx_buffer_size"])) {
        report.bufferSizeMismatches.push(`after step ${idx}: ${side} tx ${tx} rx ${rx}, upstream ${JSON.stringify(e)}`);
      }
    }
  }
}
