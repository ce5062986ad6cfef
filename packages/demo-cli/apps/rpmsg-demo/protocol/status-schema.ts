/**
 * The status sample of the rpmsg-demo protocol as data: one table of
 * fields (wire key, kind, whether required, the fact of the sampling
 * Zephyr it carries, its meaning). The encoder and the validator in
 * `status-codec.ts` walk this table, the {@link StatusSample} type is
 * derived from it, and a generator for another language can read it as
 * JSON (`JSON.stringify(STATUS_SCHEMA)`): it holds no code.
 *
 * To add a field: add a row here (naming a {@link ZephyrFacts} member in
 * `from`), then show it in the status page renderer. See the walkthrough in
 * `../README.md`.
 *
 * @module
 */
import { DEMO_ENDPOINT, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION } from "./limits.ts";

/** The kinds of field values, each with one wire form and one parsed form. */
export const FieldKind = {
  /** The protocol version: the number {@link PROTOCOL_VERSION}. */
  VERSION: "version",
  /** A non-negative integer (a safe integer in JavaScript, u32/u64 in C). */
  UINT: "uint",
  /** Eight hexadecimal digits as a JSON string; read back in lower case. */
  HEX8: "hex8",
  /** A percentage 0..100 with one decimal; the writer clamps and rounds. */
  PERCENT: "percent",
  /** Threads: an array of `[name, state, cpu%]`. */
  THREADS: "threads",
  /** Two named integers written as a JSON array `[a, b]`, read back as an object. */
  PAIR: "pair",
  /** Named integer counters written as a JSON object; a missing counter reads as 0. */
  COUNTERS: "counters",
} as const;

/** One of the {@link FieldKind} values. */
export type FieldKindName = (typeof FieldKind)[keyof typeof FieldKind];

/** One thread of a sample. */
export interface ThreadStatus {
  /** Thread name (untrusted text on the reader's side: escape before display). */
  readonly name: string;
  /** Thread state as Zephyr names it, e.g. `"running"`, `"pending"`. */
  readonly state: string;
  /** Share of the vCPU over the last period, percent. */
  readonly cpu: number;
}

/**
 * What rpmsg-host knows about its Zephyr when it takes a sample: every
 * value a field may carry (its `from`). The sampler fills all of them for
 * every sample, so a new field over an existing fact needs no change on the
 * sending side.
 */
export interface ZephyrFacts {
  /** Number of this sample since boot, from 0. */
  readonly seq: number;
  /** The boot id: 8 hex digits, new at every Zephyr boot. */
  readonly boot: string;
  /** Zephyr uptime when sampled, ms. */
  readonly uptimeMs: number;
  /** The sampling period, ms. */
  readonly periodMs: number;
  /** vCPU load over the last period, percent. */
  readonly loadPct: number;
  /** The live threads, `idle` last, each with its CPU share over the last period. */
  readonly threads: readonly ThreadStatus[];
  /** Number of live threads (including `idle`), whether or not all fit in a sample. */
  readonly threadCount: number;
  /** Kernel heap in use, bytes. */
  readonly heapUsed: number;
  /** Kernel heap free, bytes. */
  readonly heapFree: number;
  /** Most kernel heap ever in use since boot, bytes. */
  readonly heapMaxUsed: number;
  /** Samples sent. */
  readonly ipcTx: number;
  /** Send retries. */
  readonly ipcRt: number;
  /** Link re-initialisations. */
  readonly ipcRi: number;
  /** Samples dropped while the link was down (queue overflow). */
  readonly ipcDr: number;
  /** Samples queued now. */
  readonly ipcQ: number;
}

/** The {@link ZephyrFacts} members that are numbers: what an integer or percentage field can carry. */
export type NumberFact = { [K in keyof ZephyrFacts]: ZephyrFacts[K] extends number ? K : never }[keyof ZephyrFacts];

interface FieldBase {
  /** The key on the wire (short: the budget is 496 bytes). */
  readonly key: string;
  /** Readers reject a sample without it. */
  readonly required: boolean;
  /** One line: what it means. */
  readonly doc: string;
}

/** One row of the field table. */
export type FieldSpec =
  | (FieldBase & { readonly kind: "version" })
  | (FieldBase & { readonly kind: "uint"; readonly from: NumberFact; readonly min?: number })
  | (FieldBase & { readonly kind: "hex8"; readonly from: "boot" })
  | (FieldBase & { readonly kind: "percent"; readonly from: NumberFact })
  | (FieldBase & { readonly kind: "threads"; readonly from: "threads"; readonly fit: "drop-trailing" })
  | (FieldBase & { readonly kind: "pair" | "counters"; readonly members: readonly (readonly [name: string, from: NumberFact])[] });

/** The shape of {@link STATUS_SCHEMA}. */
export interface StatusSchema {
  /** Endpoint the samples travel on. */
  readonly endpoint: string;
  /** Protocol version written in `v`. */
  readonly version: number;
  /** Budget of one encoded sample, bytes. */
  readonly maxBytes: number;
  /** The fields, in wire order. At most one may have `fit` (what is dropped when a sample is over budget). */
  readonly fields: readonly FieldSpec[];
}

/**
 * The status sample, field by field, in the order they are written. The
 * only field that gives way when a sample is over budget is the one with
 * `fit: "drop-trailing"` (`thr`): its trailing entries are dropped until
 * the sample fits, and the encoder reports how many.
 */
export const STATUS_SCHEMA = {
  endpoint: DEMO_ENDPOINT,
  version: PROTOCOL_VERSION,
  maxBytes: MAX_PAYLOAD_BYTES,
  fields: [
    { key: "v", kind: "version", required: true, doc: "protocol version" },
    { key: "seq", kind: "uint", from: "seq", required: true, doc: "sample number since this boot, from 0, +1 per sample, never reused" },
    { key: "boot", kind: "hex8", from: "boot", required: true, doc: "random id chosen at each Zephyr boot" },
    { key: "t", kind: "uint", from: "uptimeMs", required: true, doc: "Zephyr uptime in ms when sampled" },
    { key: "cpu", kind: "percent", from: "loadPct", required: false, doc: "vCPU load over the last period, percent, one decimal" },
    { key: "thr", kind: "threads", from: "threads", fit: "drop-trailing", required: false, doc: "threads as [name, state, cpu%], as many as fit" },
    { key: "heap", kind: "pair", members: [["used", "heapUsed"], ["free", "heapFree"]], required: false, doc: "kernel heap [used, free], bytes" },
    {
      key: "ipc",
      kind: "counters",
      members: [["tx", "ipcTx"], ["rt", "ipcRt"], ["ri", "ipcRi"], ["dr", "ipcDr"], ["q", "ipcQ"]],
      required: false,
      doc: "IPC counters: sent, retries, link re-inits, dropped while the link was down, queued now",
    },
    { key: "per", kind: "uint", from: "periodMs", min: 1, required: false, doc: "current sampling period, ms" },
  ],
} as const satisfies StatusSchema;

type Fields = (typeof STATUS_SCHEMA.fields)[number];

type MemberNames<F> = F extends { readonly members: readonly (readonly [infer N extends string, string])[] } ? N : never;

/** The parsed value of a field of kind `F["kind"]`. */
export type FieldValue<F extends FieldSpec> = F extends { readonly kind: "version" }
  ? typeof PROTOCOL_VERSION
  : F extends { readonly kind: "uint" | "percent" }
    ? number
    : F extends { readonly kind: "hex8" }
      ? string
      : F extends { readonly kind: "threads" }
        ? readonly ThreadStatus[]
        : { readonly [N in MemberNames<F>]: number };

/** The sample described by a schema: required fields present, the others optional. */
export type SampleOf<S extends StatusSchema> = {
  readonly [F in Extract<S["fields"][number], { readonly required: true }> as F["key"]]: FieldValue<F>;
} & {
  readonly [F in Extract<S["fields"][number], { readonly required: false }> as F["key"]]?: FieldValue<F>;
};

/**
 * A status sample as both ends use it: what rpmsg-host encodes and what
 * rpmsg-remote's validator returns. Optional fields are absent when the
 * sender left them out. Derived from {@link STATUS_SCHEMA}.
 */
export interface StatusSample extends SampleOf<typeof STATUS_SCHEMA> {}

/** The `ipc` counters of a sample. */
export type IpcCounters = NonNullable<StatusSample["ipc"]>;

/** The `heap` use of a sample. */
export type HeapUse = NonNullable<StatusSample["heap"]>;

/** The wire key of each field, in order. */
export type StatusFieldKey = Fields["key"];
