/**
 * The one encoder and the one validator of the status sample, both driven
 * by {@link STATUS_SCHEMA}: rpmsg-host encodes with
 * {@link encodeStatusSample}, rpmsg-remote reads with
 * {@link parseStatusSample}.
 *
 * @module
 */
import { hasKey, isJsonObject, readJsonMessage } from "./_json-message.ts";
import { PROTOCOL_VERSION } from "./limits.ts";
import { type FieldSpec, type SampleOf, STATUS_SCHEMA, type StatusSample, type StatusSchema, type ThreadStatus, type ZephyrFacts } from "./status-schema.ts";

const encoder = new TextEncoder();

/** An encoded sample. */
export interface EncodedSample<T = StatusSample> {
  /** The UTF-8 JSON, at most the budget. */
  readonly bytes: Uint8Array;
  /** The sample as sent (after rounding and dropping). */
  readonly sample: T;
  /** Entries of the field that gives way (`thr`) left out so the sample fits; 0 when all fit. */
  readonly dropped: number;
}

/** Round to one decimal and clamp to 0..100, as every percentage on the wire is. */
export function wirePercent(x: number): number {
  return Math.round(Math.min(100, Math.max(0, x)) * 10) / 10;
}

function uint(key: string, v: number, min = 0): number {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`[rpmsg-demo] encoding a status sample: ${key} = ${v} is not an integer >= ${min}`);
  return v;
}

/** The parsed value and JSON text of field `f` from `facts` (not for the field that gives way). */
function wireValue(f: FieldSpec, facts: ZephyrFacts): { value: unknown; json: string } {
  switch (f.kind) {
    case "version":
      return { value: PROTOCOL_VERSION, json: String(PROTOCOL_VERSION) };
    case "uint": {
      const v = uint(f.key, facts[f.from], f.min);
      return { value: v, json: String(v) };
    }
    case "hex8": {
      const v = facts[f.from];
      if (!/^[0-9a-f]{8}$/.test(v)) throw new RangeError(`[rpmsg-demo] encoding a status sample: ${f.key} ${JSON.stringify(v)} is not 8 lower-case hex digits`);
      return { value: v, json: JSON.stringify(v) };
    }
    case "percent": {
      const v = wirePercent(facts[f.from]);
      return { value: v, json: String(v) };
    }
    case "threads":
      throw new TypeError(`[rpmsg-demo] ${f.key} is encoded by the budget step`);
    case "pair":
    case "counters": {
      const entries = f.members.map(([name, from]) => [name, uint(`${f.key}.${name}`, facts[from])] as const);
      const json = f.kind === "pair" ? `[${entries.map(([, v]) => v).join(",")}]` : `{${entries.map(([n, v]) => `${JSON.stringify(n)}:${v}`).join(",")}}`;
      return { value: Object.fromEntries(entries), json };
    }
  }
}

function encodeWith(fields: readonly FieldSpec[], facts: ZephyrFacts, limit: number): EncodedSample<unknown> {
  const parts: string[] = [];
  const sample: Record<string, unknown> = {};
  let fit: { key: string; at: number; items: readonly ThreadStatus[] } | undefined;
  for (const f of fields) {
    if (f.kind === "threads") {
      fit = { key: f.key, at: parts.length, items: facts[f.from] };
      parts.push(`${JSON.stringify(f.key)}:[`);
      continue;
    }
    const { value, json } = wireValue(f, facts);
    sample[f.key] = value;
    parts.push(`${JSON.stringify(f.key)}:${json}`);
  }
  const open = fit === undefined ? -1 : fit.at;
  const text = (inner: string): string => `{${parts.map((p, i) => (i === open ? `${p}${inner}]` : p)).join(",")}}`;
  let size = encoder.encode(text("")).length;
  if (size > limit) throw new RangeError(`[rpmsg-demo] encoding status sample ${facts.seq}: ${size} bytes before any thread entry, over ${limit}`);
  if (fit === undefined) return { bytes: encoder.encode(text("")), sample, dropped: 0 };
  const kept: ThreadStatus[] = [];
  const entries: string[] = [];
  for (const t of fit.items) {
    const entry = { name: t.name, state: t.state, cpu: wirePercent(t.cpu) };
    const json = JSON.stringify([entry.name, entry.state, entry.cpu]);
    const extra = encoder.encode(json).length + (entries.length > 0 ? 1 : 0);
    if (size + extra > limit) break;
    entries.push(json);
    kept.push(entry);
    size += extra;
  }
  sample[fit.key] = kept;
  const ordered = Object.fromEntries(fields.map((f) => [f.key, sample[f.key]]));
  return { bytes: encoder.encode(text(entries.join(","))), sample: ordered, dropped: fit.items.length - kept.length };
}

/** Why a sample was rejected, as a stable code. */
export type SampleRejectCode = "too-long" | "not-utf8" | "not-json" | "not-object" | "missing-field" | "bad-field" | "unsupported-version";

/** The result of {@link parseStatusSample}. */
export type ParseSampleResult<T = StatusSample> =
  | { readonly ok: true; readonly sample: T }
  | { readonly ok: false; readonly code: SampleRejectCode; readonly reason: string };

class Reject {
  readonly code: SampleRejectCode;
  readonly reason: string;
  constructor(code: SampleRejectCode, reason: string) {
    this.code = code;
    this.reason = reason;
  }
}

function shown(v: unknown): string {
  return JSON.stringify(v) ?? "undefined";
}

function count(v: unknown, label: string, min = 0): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new Reject("bad-field", `${label} must be a non-negative integer, got ${shown(v)}`);
  if (v < min) throw new Reject("bad-field", `${label} must be ${min === 1 ? "a positive integer" : `an integer >= ${min}`}, got ${v}`);
  return v;
}

function percent(v: unknown, label: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) throw new Reject("bad-field", `${label} must be a number from 0 to 100, got ${shown(v)}`);
  return v;
}

function threads(v: unknown, key: string): ThreadStatus[] {
  if (!Array.isArray(v)) throw new Reject("bad-field", `${key} must be an array`);
  return v.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length < 3) throw new Reject("bad-field", `${key}[${i}] must be [name, state, cpu%]`);
    const [name, state, cpu] = entry as unknown[];
    if (typeof name !== "string" || typeof state !== "string") throw new Reject("bad-field", `${key}[${i}] name and state must be strings`);
    return { name, state, cpu: percent(cpu, `${key}[${i}] cpu`) };
  });
}

function readField(f: FieldSpec, v: unknown): unknown {
  switch (f.kind) {
    case "version":
      if (v !== PROTOCOL_VERSION) {
        throw new Reject(typeof v === "number" ? "unsupported-version" : "bad-field", `sample has protocol version ${shown(v)}, this reader understands ${PROTOCOL_VERSION}`);
      }
      return v;
    case "uint":
      return count(v, f.key, f.min);
    case "hex8":
      if (typeof v !== "string" || !/^[0-9a-fA-F]{8}$/.test(v)) throw new Reject("bad-field", `${f.key} must be 8 hex digits, got ${shown(v)}`);
      return v.toLowerCase();
    case "percent":
      return percent(v, f.key);
    case "threads":
      return threads(v, f.key);
    case "pair": {
      const names = f.members.map(([name]) => name);
      if (!Array.isArray(v) || v.length !== names.length) throw new Reject("bad-field", `${f.key} must be [${names.join(", ")}]`);
      return Object.fromEntries(names.map((name, i) => [name, count(v[i], `${f.key} ${name}`)]));
    }
    case "counters": {
      if (!isJsonObject(v)) throw new Reject("bad-field", `${f.key} must be an object`);
      return Object.fromEntries(f.members.map(([name]) => [name, hasKey(v, name) ? count(v[name], `${f.key}.${name}`) : 0]));
    }
  }
}

function toSample(fields: readonly FieldSpec[], value: Record<string, unknown>): Record<string, unknown> {
  for (const f of fields) {
    if (f.required && !hasKey(value, f.key)) throw new Reject("missing-field", `sample lacks the required field "${f.key}"`);
  }
  const sample: Record<string, unknown> = {};
  for (const f of fields) if (hasKey(value, f.key)) sample[f.key] = readField(f, value[f.key]);
  return sample;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function parseWith(schema: StatusSchema, bytes: Uint8Array): ParseSampleResult<unknown> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("[rpmsg-demo] parsing a status sample needs a Uint8Array");
  const read = readJsonMessage(bytes, schema.maxBytes);
  if (!read.ok) {
    switch (read.problem) {
      case "too-long":
        return { ok: false, code: "too-long", reason: `sample is ${bytes.byteLength} bytes, more than ${schema.maxBytes}` };
      case "not-utf8":
        return { ok: false, code: "not-utf8", reason: "sample is not valid UTF-8" };
      case "not-json":
        return { ok: false, code: "not-json", reason: `sample is not valid JSON: ${preview(read.text ?? "")}` };
      case "not-object":
        return { ok: false, code: "not-object", reason: "sample is not a JSON object" };
    }
  }
  try {
    return { ok: true, sample: toSample(schema.fields, read.value) };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, code: e.code, reason: e.reason };
    throw e;
  }
}

/** The encoder and validator of the samples a schema describes. */
export interface StatusCodec<T> {
  /** Encode the sample of `facts` (see {@link encodeStatusSample}). */
  encode(facts: ZephyrFacts, limit?: number): EncodedSample<T>;
  /** Decode and validate one sample (see {@link parseStatusSample}). */
  parse(bytes: Uint8Array): ParseSampleResult<T>;
}

/**
 * The codec of `schema`. The protocol's own is {@link encodeStatusSample} /
 * {@link parseStatusSample} over {@link STATUS_SCHEMA}; this is how a test
 * (or a newer protocol version) gets the codec of another field table.
 * Throws a TypeError for a table with more than one field that gives way.
 */
export function createStatusCodec<S extends StatusSchema>(schema: S): StatusCodec<SampleOf<S>> {
  if (schema.fields.filter((f) => "fit" in f).length > 1) throw new TypeError("[rpmsg-demo] a status schema may have at most one field that gives way to the budget");
  return {
    encode: (facts, limit = schema.maxBytes) => encodeWith(schema.fields, facts, limit) as EncodedSample<SampleOf<S>>,
    parse: (bytes) => parseWith(schema, bytes) as ParseSampleResult<SampleOf<S>>,
  };
}

const codec: StatusCodec<StatusSample> = createStatusCodec(STATUS_SCHEMA);

/**
 * Encode the sample of `facts` as UTF-8 JSON of at most `limit` bytes
 * (default the protocol's 496), fields in schema order. When the sample is
 * over budget, trailing entries of the field that gives way (`thr`) are
 * dropped until it fits; `dropped` says how many. Throws a RangeError when
 * it cannot fit even with none of them, or when a fact is out of range.
 *
 * @example
 * ```ts
 * const { bytes, dropped } = encodeStatusSample(facts); // dropped: 0 unless there are many threads
 * ```
 */
export function encodeStatusSample(facts: ZephyrFacts, limit?: number): EncodedSample {
  return codec.encode(facts, limit);
}

/**
 * Decode and validate one status sample. Never throws on bad input: it
 * returns `{ ok: false, code, reason }` for anything over 496 bytes, not
 * UTF-8, not a JSON object, missing a required field or with a field of
 * the wrong type. Unknown fields are ignored (a newer writer may add some).
 *
 * @example
 * ```ts
 * const r = parseStatusSample(new TextEncoder().encode('{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":12.5}'));
 * if (r.ok) console.log(r.sample.cpu); // 12.5
 * ```
 */
export function parseStatusSample(bytes: Uint8Array): ParseSampleResult {
  return codec.parse(bytes);
}
