/**
 * Status samples of the rpmsg-demo protocol (v1): the JSON object Zephyr
 * sends on the `rpmsg-demo` endpoint, validated before anything uses it.
 *
 * @module
 */
import { decodePayloadText } from "@v8r/openamp-wasm";

/** Largest sample in bytes: the payload of a 512-byte RPMsg buffer. */
export const MAX_SAMPLE_BYTES = 496;

/** The protocol version this reader understands. */
export const STATUS_PROTOCOL_VERSION = 1;

/** One thread as sampled by Zephyr. */
export interface ThreadStatus {
  /** Thread name (untrusted text: escape before display). */
  readonly name: string;
  /** Thread state as Zephyr reports it, e.g. `"running"`, `"pending"`. */
  readonly state: string;
  /** Share of the vCPU over the last period, percent. */
  readonly cpu: number;
}

/** The `ipc` counters of a sample. */
export interface IpcCounters {
  /** Samples sent. */
  readonly tx: number;
  /** Send retries. */
  readonly rt: number;
  /** Link re-initialisations. */
  readonly ri: number;
  /** Samples dropped while the link was down. */
  readonly dr: number;
  /** Samples queued now. */
  readonly q: number;
}

/** A validated status sample; optional fields are absent when the sender left them out. */
export interface StatusSample {
  /** Protocol version, always 1. */
  readonly v: 1;
  /** Sample number since this boot, from 0. */
  readonly seq: number;
  /** Random id of this Zephyr boot (8 hex digits, lower case). */
  readonly boot: string;
  /** Zephyr uptime in ms when sampled. */
  readonly t: number;
  /** vCPU load over the last period, percent. */
  readonly cpu?: number;
  /** Threads, possibly truncated by the sender to fit. */
  readonly thr?: readonly ThreadStatus[];
  /** Heap bytes in use and free. */
  readonly heap?: { readonly used: number; readonly free: number };
  /** IPC counters (fields the sender left out read as 0). */
  readonly ipc?: IpcCounters;
  /** Current sampling period, ms. */
  readonly per?: number;
}

/** Why a sample was rejected, as a stable code. */
export type SampleRejectCode = "too-long" | "not-utf8" | "not-json" | "not-object" | "missing-field" | "bad-field" | "unsupported-version";

/** The result of {@link parseStatusSample}. */
export type ParseSampleResult =
  | { readonly ok: true; readonly sample: StatusSample }
  | { readonly ok: false; readonly code: SampleRejectCode; readonly reason: string };

class Reject {
  readonly code: SampleRejectCode;
  readonly reason: string;
  constructor(code: SampleRejectCode, reason: string) {
    this.code = code;
    this.reason = reason;
  }
}

/**
 * Decode and validate one status sample. Never throws on bad input: it
 * returns `{ ok: false, code, reason }` for anything over 496 bytes, not
 * UTF-8, not a JSON object, missing `v`/`seq`/`boot`/`t` or with a field of
 * the wrong type. Unknown fields are ignored.
 *
 * @example
 * ```ts
 * const r = parseStatusSample(new TextEncoder().encode('{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":12.5}'));
 * if (r.ok) console.log(r.sample.cpu); // 12.5
 * ```
 */
export function parseStatusSample(bytes: Uint8Array): ParseSampleResult {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError("[linux-shim] parseStatusSample needs a Uint8Array");
  }
  if (bytes.byteLength > MAX_SAMPLE_BYTES) {
    return { ok: false, code: "too-long", reason: `sample is ${bytes.byteLength} bytes, more than ${MAX_SAMPLE_BYTES}` };
  }
  let text: string;
  try {
    text = decodePayloadText(bytes);
  } catch {
    return { ok: false, code: "not-utf8", reason: "sample is not valid UTF-8" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: "not-json", reason: `sample is not valid JSON: ${preview(text)}` };
  }
  try {
    return { ok: true, sample: toSample(value) };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, code: e.code, reason: e.reason };
    throw e;
  }
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(obj: Record<string, unknown>, key: string, label = key): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new Reject("bad-field", `${label} must be a non-negative integer, got ${JSON.stringify(v) ?? "undefined"}`);
  }
  return v;
}

function percent(v: unknown, label: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) {
    throw new Reject("bad-field", `${label} must be a number from 0 to 100, got ${JSON.stringify(v) ?? "undefined"}`);
  }
  return v;
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function toSample(value: unknown): StatusSample {
  if (!isObject(value)) throw new Reject("not-object", "sample is not a JSON object");
  for (const key of ["v", "seq", "boot", "t"]) {
    if (!has(value, key)) throw new Reject("missing-field", `sample lacks the required field "${key}"`);
  }
  if (value.v !== STATUS_PROTOCOL_VERSION) {
    const code = typeof value.v === "number" ? "unsupported-version" : "bad-field";
    throw new Reject(code, `sample has protocol version ${JSON.stringify(value.v)}, this reader understands ${STATUS_PROTOCOL_VERSION}`);
  }
  const boot = value.boot;
  if (typeof boot !== "string" || !/^[0-9a-fA-F]{8}$/.test(boot)) {
    throw new Reject("bad-field", `boot must be 8 hex digits, got ${JSON.stringify(boot)}`);
  }
  const sample: { -readonly [K in keyof StatusSample]: StatusSample[K] } = {
    v: 1,
    seq: count(value, "seq"),
    boot: boot.toLowerCase(),
    t: count(value, "t"),
  };
  if (has(value, "cpu")) sample.cpu = percent(value.cpu, "cpu");
  if (has(value, "thr")) sample.thr = threads(value.thr);
  if (has(value, "heap")) sample.heap = heap(value.heap);
  if (has(value, "ipc")) sample.ipc = ipc(value.ipc);
  if (has(value, "per")) {
    const per = count(value, "per");
    if (per === 0) throw new Reject("bad-field", "per must be a positive integer, got 0");
    sample.per = per;
  }
  return sample;
}

function threads(v: unknown): ThreadStatus[] {
  if (!Array.isArray(v)) throw new Reject("bad-field", "thr must be an array");
  return v.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length < 3) {
      throw new Reject("bad-field", `thr[${i}] must be [name, state, cpu%]`);
    }
    const [name, state, cpu] = entry as unknown[];
    if (typeof name !== "string" || typeof state !== "string") {
      throw new Reject("bad-field", `thr[${i}] name and state must be strings`);
    }
    return { name, state, cpu: percent(cpu, `thr[${i}] cpu`) };
  });
}

function heap(v: unknown): { used: number; free: number } {
  if (!Array.isArray(v) || v.length !== 2) throw new Reject("bad-field", "heap must be [used, free]");
  const pair = { used: v[0] as unknown, free: v[1] as unknown };
  return { used: count(pair, "used", "heap used"), free: count(pair, "free", "heap free") };
}

function ipc(v: unknown): IpcCounters {
  if (!isObject(v)) throw new Reject("bad-field", "ipc must be an object");
  const field = (key: string): number => (has(v, key) ? count(v, key, `ipc.${key}`) : 0);
  return { tx: field("tx"), rt: field("rt"), ri: field("ri"), dr: field("dr"), q: field("q") };
}
