/**
 * Internal: a domain's vCPU run loop, in the domain's own thread. It takes
 * the vCPU's interface of the domain's vGIC: it runs the handlers of the
 * interrupts raised there (the event-channel upcall, the console), runs
 * timer callbacks held while the domain was paused, and otherwise sleeps: in
 * worker mode on `Atomics.waitAsync` of the vCPU's wake word, in inline mode
 * until the vGIC kicks it, which queues a service on the platform clock (so
 * delivery order follows the clock). Errors in guest code it runs crash the
 * domain through the executor's own crash path (rethrown from a platform
 * timer), so there is one crash path.
 */
import type { Clock, CpuHandle, InterruptController } from "@v8r/fvp-core";
import { RunState, ShutdownCode, Word } from "./_evtchn-layout.ts";

/** How the domains of one hypervisor run. */
export type WakeMode = "inline" | "worker";

/** What a {@link Vcpu} needs. */
export interface VcpuOptions {
  /** Inline or worker wake-up. */
  readonly mode: WakeMode;
  /** The domain's shared state (run state and instance number). */
  readonly state: Int32Array;
  /** Instance number this vCPU belongs to. */
  readonly generation: number;
  /** The executor's clock for this guest (timers die with the guest, errors in them crash it). */
  readonly clock: Clock;
  /** The CPU guest work is accounted on. */
  readonly cpu: CpuHandle;
  /** The domain's vGIC; this loop takes CPU interface {@link VcpuOptions.index}. */
  readonly gic: InterruptController;
  /** vCPU index (its CPU interface on the vGIC). */
  readonly index: number;
  /** Worker mode: how long to poll the wake word before sleeping, in µs (0: sleep at once). */
  readonly spinUs?: number;
}

type WaitAsync = (ta: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };

const waitAsync: WaitAsync | undefined = (() => {
  const fn = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  return typeof fn === "function" ? fn.bind(Atomics) : undefined;
})();

/** Interrupts taken per service before yielding to the host event loop (the vGIC kicks the loop for the rest). */
const IRQS_PER_SERVICE = 64;
/** Immediate re-services (wake word changed while servicing) before a macrotask yield. */
const SPINS_BEFORE_YIELD = 64;

/** One vCPU's loop. */
export class Vcpu {
  readonly #o: VcpuOptions;
  #dead = false;
  #scheduled = false;
  #held: Array<() => void> = [];
  #onRequest: ((reason: "poweroff" | "reboot") => void) | undefined;
  readonly #undo: Array<() => void> = [];
  /** Made once: the vGIC asks it before each interrupt (a paused or dead vCPU takes none). */
  readonly #canRun = (): boolean => this.alive && !this.paused;

  /** Build the loop; call {@link Vcpu.start} once the context is ready. */
  constructor(opts: VcpuOptions) {
    this.#o = opts;
  }

  /** Take the vCPU's interface of the vGIC and service anything already pending. */
  start(): void {
    const { gic, index } = this.#o;
    if (this.#o.mode === "inline") {
      this.#undo.push(gic.attachCpu(index, () => this.#schedule()));
    } else {
      this.#undo.push(gic.attachCpu(index));
      this.#watch();
    }
  }

  /** Handle interrupt `irq` of this vCPU with `handler` (run in the vCPU's thread) and enable it. */
  on(irq: number, handler: () => void): void {
    const { gic, index } = this.#o;
    this.#undo.push(gic.onIrq(index, irq, () => handler()));
    gic.enable(irq, index);
  }

  /** The predicate the vGIC checks before each interrupt; also what event scans check between handlers. */
  get canRun(): () => boolean {
    return this.#canRun;
  }

  /** False once the domain crashed, shut down, or was stopped or replaced by the hypervisor. */
  get alive(): boolean {
    const s = this.#o.state;
    return !this.#dead && Atomics.load(s, Word.RUN) !== RunState.STOPPED && Atomics.load(s, Word.GENERATION) === this.#o.generation;
  }

  /** True while the hypervisor holds the domain paused. */
  get paused(): boolean {
    return Atomics.load(this.#o.state, Word.RUN) === RunState.PAUSED;
  }

  /** Call `handler` when the toolstack asks the domain to shut down (the request word; taken at the next service, when not paused). */
  onShutdownRequest(handler: (reason: "poweroff" | "reboot") => void): void {
    this.#onRequest = handler;
  }

  /** Keep `cb` until the domain is unpaused. */
  hold(cb: () => void): void {
    this.#held.push(cb);
  }

  /** Stop running guest code (shutdown requested, crashed or stopped): its handlers and the CPU interface are given back. */
  die(): void {
    this.#dead = true;
    this.#held = [];
    for (const undo of this.#undo.splice(0).reverse()) undo();
  }

  /** Run guest code accounted on the vCPU's CPU; an error crashes the domain. */
  run(fn: () => void): void {
    if (!this.alive) return;
    try {
      this.#o.cpu.busy(fn);
    } catch (e) {
      this.crash(e);
    }
  }

  /** Crash the domain with `error` through the executor's crash path. */
  crash(error: unknown): void {
    if (this.#dead) return;
    this.die();
    this.#o.clock.setTimeout(() => {
      throw error;
    }, 0);
  }

  /** Run held work and take pending interrupts now; how many interrupts were taken. */
  service(): number {
    if (!this.alive) {
      this.die();
      return 0;
    }
    if (this.paused) return 0;
    const asked = Atomics.exchange(this.#o.state, Word.REQUEST, ShutdownCode.NONE);
    if (asked !== ShutdownCode.NONE) this.run(() => this.#onRequest?.(asked === ShutdownCode.REBOOT ? "reboot" : "poweroff"));
    const held = this.#held;
    this.#held = [];
    for (const cb of held) this.run(cb);
    return this.#o.gic.dispatch(this.#o.index, IRQS_PER_SERVICE, this.#canRun);
  }

  /**
   * Worker mode, for guest code that blocks its thread (a WASI program): take
   * what is pending, then block on the wake word until an interrupt comes or
   * `timeoutMs` passed (held while paused), and take what came. The Arm WFI
   * instruction; the loop of {@link Vcpu.start} does the same without blocking.
   * False once the vCPU is dead.
   */
  waitForInterrupt(timeoutMs: number): boolean {
    const { array, index } = this.#o.gic.wakeWord(this.#o.index);
    const end = performance.now() + Math.max(0, timeoutMs);
    for (;;) {
      if (!this.alive) break;
      const seen = Atomics.load(array, index);
      const took = this.service();
      if (!this.alive) break;
      const left = end - performance.now();
      if ((took > 0 || left <= 0) && !this.paused) return true;
      spinWhile(array, index, seen, this.#o.spinUs ?? 0);
      if (Atomics.load(array, index) === seen) Atomics.wait(array, index, seen, this.paused ? undefined : left);
      if (Atomics.load(array, index) !== seen && !this.paused) {
        this.service();
        return this.alive;
      }
    }
    this.die();
    return false;
  }

  /** Inline mode: queue one service on the platform clock. */
  #schedule(): void {
    if (this.#scheduled || this.#dead) return;
    this.#scheduled = true;
    this.#o.clock.setTimeout(() => {
      this.#scheduled = false;
      this.service();
    }, 0);
  }

  /** Worker mode: service, then wait (without blocking the thread) for the wake word to change. */
  #watch(): void {
    const { array, index } = this.#o.gic.wakeWord(this.#o.index);
    let spins = 0;
    const loop = (): void => {
      if (!this.alive) return this.die();
      const seen = Atomics.load(array, index);
      this.service();
      if (!this.alive) return this.die();
      spinWhile(array, index, seen, this.#o.spinUs ?? 0);
      if (waitAsync === undefined) {
        globalThis.setTimeout(loop, 1);
        return;
      }
      const r = waitAsync(array, index, seen);
      if (r.async) {
        spins = 0;
        void r.value.then(loop);
      } else if (++spins < SPINS_BEFORE_YIELD) {
        queueMicrotask(loop);
      } else {
        spins = 0;
        globalThis.setTimeout(loop, 0);
      }
    };
    loop();
  }
}

/** Poll the wake word for up to `us` microseconds (a wake from sleep costs tens of µs; polling a few is cheaper). */
function spinWhile(words: Int32Array, index: number, seen: number, us: number): void {
  if (us <= 0) return;
  const end = performance.now() + us / 1000;
  while (Atomics.load(words, index) === seen && performance.now() < end) {
    // busy-wait: the peer's notification usually lands within the budget
  }
}
