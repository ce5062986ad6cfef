/**
 * Takes status samples of the running Zephyr: uptime, vCPU load over the
 * last period, each live thread's state and CPU share since the previous
 * sample, heap use and IPC counters.
 *
 * @module
 */
import type { CpuHandle } from "@v8r/fvp-core";
import type { ZephyrKernel } from "../kernel/kernel.ts";
import type { KThread } from "../kernel/thread.ts";
import { encodeStatus, oneDecimal, type IpcCounters, type StatusSample, type ThreadEntry } from "./status.ts";

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

  /** Take the next sample and encode it (at most 496 bytes). */
  take(ipc: IpcCounters): { seq: number; bytes: Uint8Array; sample: StatusSample } {
    const load = this.#cpu ? this.#cpu.load(this.per) * 100 : 0;
    const sample: StatusSample = {
      v: 1,
      seq: this.nextSeq++,
      boot: this.boot,
      t: this.#k.k_uptime_get(),
      cpu: oneDecimal(load),
      thr: [...this.#threads(), ["idle", "ready", oneDecimal(Math.max(0, 100 - load))]],
      heap: this.#heap(),
      ipc,
      per: this.per,
    };
    return { seq: sample.seq, bytes: encodeStatus(sample).bytes, sample };
  }

  #threads(): ThreadEntry[] {
    const now = this.#k.clock.now();
    const elapsed = now - this.#lastAt;
    this.#lastAt = now;
    const entries: ThreadEntry[] = [];
    this.#k.k_thread_foreach((thread) => {
      const before = this.#lastRuntime.get(thread) ?? 0;
      this.#lastRuntime.set(thread, thread.runtimeMs);
      if (thread.state === "dead") return;
      const share = elapsed > 0 ? ((thread.runtimeMs - before) / elapsed) * 100 : 0;
      entries.push([thread.name, thread.state, oneDecimal(Math.min(100, Math.max(0, share)))]);
    });
    return entries;
  }

  #heap(): [number, number] {
    const stats = this.#k.sys_heap_runtime_stats_get();
    return [stats.allocated_bytes, stats.free_bytes];
  }
}
