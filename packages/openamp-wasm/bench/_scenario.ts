/** What the benchmark runs (shared by the main thread and the Workers). */

/** One run: pipelined one-way traffic or round trips. */
export interface Scenario {
  kind: "pipe" | "rtt";
  /** Payload bytes. */
  size: number;
  /** Spin before sleeping (else sleep at once). */
  spin: boolean;
  /** Messages (pipe) or round trips (rtt). */
  n: number;
  /** Endpoints the messages are spread over, round robin. */
  endpoints: number;
}
/** Which implementation a Worker runs. */
export type Impl = "js" | "vq" | "v8r";
/** Slots per ring (v8r: the vring size of a 256 KiB static-vrings layout) and bytes per slot. */
export const RING = { num: 128, slot: 512 } as const;
/** Messages in flight in the pipelined runs. */
export const WINDOW = 64;
/** What a run reports. */
export interface RunResult { msgsPerSec?: number; medianUs?: number; sleeps: number }

