/**
 * The rpmsg-demo status sample (protocol v1): build it and encode it as
 * UTF-8 JSON of at most 496 bytes, dropping trailing `thr` entries until
 * it fits.
 *
 * @module
 */

/** Largest message on the link: the payload of a 512-byte RPMsg buffer. */
export const MAX_MESSAGE_BYTES = 496;

/** A thread entry: `[name, state, cpu%]`. */
export type ThreadEntry = readonly [name: string, state: string, cpu: number];

/** IPC counters of a sample. */
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

/** One status sample, fields in protocol order. */
export interface StatusSample {
  /** Protocol version, 1. */
  readonly v: 1;
  /** Sample number since boot. */
  readonly seq: number;
  /** Boot id, 8 hex digits. */
  readonly boot: string;
  /** Uptime in ms when sampled. */
  readonly t: number;
  /** vCPU load over the last period, percent, one decimal. */
  readonly cpu: number;
  /** Threads. */
  readonly thr: readonly ThreadEntry[];
  /** Heap `[used, free]` in bytes. */
  readonly heap: readonly [number, number];
  /** IPC counters. */
  readonly ipc: IpcCounters;
  /** Sampling period, ms. */
  readonly per: number;
}

/** Round to one decimal, as the protocol's percentages are. */
export function oneDecimal(x: number): number {
  return Math.round(x * 10) / 10;
}

const encoder = new TextEncoder();

/**
 * Encode a sample as JSON of at most {@link MAX_MESSAGE_BYTES} bytes,
 * dropping trailing thread entries until it fits. Returns the bytes and how
 * many thread entries were kept.
 */
export function encodeStatus(sample: StatusSample, limit = MAX_MESSAGE_BYTES): { bytes: Uint8Array; threads: number } {
  const head = `{"v":${sample.v},"seq":${sample.seq},"boot":${JSON.stringify(sample.boot)},"t":${sample.t},"cpu":${sample.cpu},"thr":[`;
  const tail = `],"heap":[${sample.heap[0]},${sample.heap[1]}],"ipc":${JSON.stringify(sample.ipc)},"per":${sample.per}}`;
  let size = encoder.encode(head).length + encoder.encode(tail).length;
  if (size > limit) {
    throw new RangeError(`[zephyr-shim] encoding status sample ${sample.seq}: ${size} bytes even without threads, over ${limit}`);
  }
  const parts: string[] = [];
  for (const entry of sample.thr) {
    const part = JSON.stringify([entry[0], entry[1], entry[2]]);
    const extra = encoder.encode(part).length + (parts.length > 0 ? 1 : 0);
    if (size + extra > limit) break;
    parts.push(part);
    size += extra;
  }
  return { bytes: encoder.encode(head + parts.join(",") + tail), threads: parts.length };
}
