/**
 * Takes status samples of the running Zephyr: gathers the protocol's
 * {@link ZephyrFacts} (uptime, vCPU load over the last period, each live
 * thread's state and CPU share since the previous sample, heap use, IPC
 * counters) and encodes them with the protocol's one encoder.
 *
 * @module
 */
import type { CpuHandle } from "@v8r/fvp-core";
import type { KThread, ZephyrKernel } from "@v8r/zephyr-shim";
import { encodeStatusSample, type EncodedSample, type ThreadStatus, type ZephyrFacts } from "../protocol/mod.ts";

/** The IPC counters the link keeps, as the sampler reads them. */
export interface LinkCounters {
  /** Samples sent. */
  readonly tx: number;
  /** Send retries. */
  readonly rt: number;
  /** Link re-initialisations. */
  readonly ri: number;
  /** Samples dropped before this one (never sent: the queue or the heap was full). */
  readonly dr: number;
  /** Samples queued now. */
  readonly q: number;
}

/** A sample taken: its seq, what it says, the encoded bytes and what the encoder made of it. */
export interface TakenSample extends EncodedSample {
  /** Its sequence number. */
  readonly seq: number;
  /** Everything gathered for it (the link fills in its counters again when it sends it). */
  readonly facts: ZephyrFacts;
}

/** Builds successive samples with consecutive `seq`. */
export class Sampler {
  /** Boot id carried by every sample. */
  readonly boot: string;
  /** Sampling period, ms (also the load window). */
  per: number;
  /** Number of the next sample. */
  nextSeq = 0;
  readonly #k: ZephyrKernel;
  readonly #cpu: CpuHandle | undefined;
  readonly #lastRuntime = new Map<KThread, number>();
  #lastAt: number;

  /** A sampler for kernel `k` on `cpu`. */
  constructor(k: ZephyrKernel, cpu: CpuHandle | undefined, boot: string, per: number) {
    this.#k = k;
    this.#cpu = cpu;
    this.boot = boot;
    this.per = per;
    this.#lastAt = k.clock.now();
  }

  /**
   * Take the next sample and encode it (at most 496 bytes; trailing threads
   * dropped to fit, counted in `dropped`). The work is charged to the vCPU
   * as a Cortex-R52 would spend it (see {@link sampleWorkUs}), so the load
   * the next sample reports is this work over one period: it grows as the
   * period shrinks.
   */
  take(ipc: LinkCounters): TakenSample {
    const facts = this.facts(ipc);
    this.nextSeq++;
    const encoded = encodeStatusSample(facts);
    this.#k.k_busy_wait(sampleWorkUs(facts.threadCount, encoded.bytes.byteLength));
    return { seq: facts.seq, facts, ...encoded };
  }

  /** What this Zephyr looks like now, for sample number {@link Sampler.nextSeq}. */
  facts(ipc: LinkCounters): ZephyrFacts {
    const load = this.#cpu ? this.#cpu.load(this.per) * 100 : 0;
    const threads = [...this.#threads(), { name: "idle", state: "ready", cpu: Math.max(0, 100 - load) }];
    const heap = this.#k.sys_heap_runtime_stats_get();
    return {
      seq: this.nextSeq,
      boot: this.boot,
      uptimeMs: this.#k.k_uptime_get(),
      periodMs: this.per,
      loadPct: load,
      threads,
      threadCount: threads.length,
      heapUsed: heap.allocated_bytes,
      heapFree: heap.free_bytes,
      heapMaxUsed: heap.max_allocated_bytes,
      ipcTx: ipc.tx,
      ipcRt: ipc.rt,
      ipcRi: ipc.ri,
      ipcDr: ipc.dr,
      ipcQ: ipc.q,
    };
  }

  #threads(): ThreadStatus[] {
    const now = this.#k.clock.now();
    const elapsed = now - this.#lastAt;
    this.#lastAt = now;
    const entries: ThreadStatus[] = [];
    this.#k.k_thread_foreach((thread) => {
      const before = this.#lastRuntime.get(thread) ?? 0;
      this.#lastRuntime.set(thread, thread.runtimeMs);
      if (thread.state === "dead") return;
      const share = elapsed > 0 ? ((thread.runtimeMs - before) / elapsed) * 100 : 0;
      entries.push({ name: thread.name, state: thread.state, cpu: share });
    });
    return entries;
  }
}

/**
 * The modelled cost of one sample on the vCPU, µs: reading the kernel's
 * statistics (a fixed part and one per thread walked) and formatting the
 * JSON (per byte, as snprintf-style formatting costs on an Armv8-R core at a
 * few hundred MHz). JavaScript does this work in microseconds; the model
 * keeps the load Zephyr reports about its own work meaningful.
 * @example
 * ```ts
 * sampleWorkUs(5, 400); // 3000
 * ```
 */
export function sampleWorkUs(threads: number, bytes: number): number {
  return SAMPLE_BASE_US + threads * SAMPLE_PER_THREAD_US + bytes * SAMPLE_PER_BYTE_US;
}

/** Fixed part of a sample's cost, µs. */
const SAMPLE_BASE_US = 500;
/** Cost of each thread walked, µs. */
const SAMPLE_PER_THREAD_US = 100;
/** Cost of each byte formatted, µs. */
const SAMPLE_PER_BYTE_US = 5;
