import { PREFIX } from "./_format.ts";
import { bitOf, type CpuSlot, gicLayout, type GicLayout, type IrqHandler, localSlots, prioIndexOf, stampIdentity, slotOf, SPI_FIRST, watchWord, wordOf } from "./_gic-state.ts";
import type { GicDescriptor, GicOptions, IrqCount, WakeWord } from "./_gic-state.ts";
import type { FvpTraceEvent, TraceSink } from "./trace-bus.ts";

export type { GicDescriptor, GicOptions, IrqCount, IrqHandler, WakeWord } from "./_gic-state.ts";

/** Interrupt ID ranges of the GICv3 model (GICv3 architecture spec, section 2.2 "INTIDs"). */
export const IrqRange = {
  /** Software-generated interrupts 0-15, banked per CPU. */
  SGI_FIRST: 0,
  /** Private peripheral interrupts 16-31, banked per CPU. */
  PPI_FIRST: 16,
  /** Shared peripheral interrupts from 32, routed to one target CPU. */
  SPI_FIRST: SPI_FIRST,
} as const;

/** Default priority of every line (GICv3: lower value = higher priority). */
export const DEFAULT_PRIORITY = 0xa0;

/** Lines handled per {@link InterruptController.dispatch} call unless the caller says otherwise. */
export const DISPATCH_BUDGET = 1000;

/**
 * A GICv3-flavoured interrupt controller. SGIs (0-15) and PPIs (16-31) are
 * banked per CPU interface, SPIs (32+) are routed to one target CPU. Enable,
 * pending, priority and per-line handled counts live in a SharedArrayBuffer:
 * any thread can raise a line (rebuild the controller there with
 * {@link InterruptController.fromDescriptor}), and the thread that serves the
 * target CPU takes it. Several pending lines are handled highest priority
 * (lowest value) first, ties by lower ID; a line raised while disabled stays
 * pending and fires once when enabled.
 *
 * A CPU interface is served either by the controller itself (handlers run in
 * a microtask, or when its wake word changes) or by a run loop that took it
 * with {@link InterruptController.attachCpu} (a vCPU): the loop waits on the
 * CPU's {@link InterruptController.wakeWord} and calls
 * {@link InterruptController.dispatch}. The same controller model serves a
 * platform's physical CPUs and a hypervisor's virtual CPU interfaces.
 *
 * @example
 * ```ts
 * const gic = new InterruptController({ cpus: 2 });
 * gic.onIrq(1, 40, (irq) => console.log("SPI", irq));
 * gic.setTarget(40, 1);
 * gic.enable(40);
 * gic.raise(40); // handler runs in a microtask
 * gic.count(40, 1); // 1 once it ran
 * ```
 */
export class InterruptController {
  /** Number of CPU interfaces. */
  readonly cpus: number;
  /** Number of SPI lines. */
  readonly spis: number;
  /** The shared state. */
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #prio: Uint8Array;
  readonly #trace: TraceSink<FvpTraceEvent> | undefined;
  readonly #onError: (error: unknown, irq: number, cpu: number) => void;
  readonly #slots: Map<number, CpuSlot>;
  readonly #o: GicLayout;

  /** Create a controller, or attach to shared state with `buffer` (see {@link InterruptController.fromDescriptor}). */
  constructor(opts: GicOptions & { buffer?: SharedArrayBuffer }) {
    const cpus = opts.cpus;
    const spis = opts.spis ?? 64;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 32) throw new RangeError(`${PREFIX} creating the GIC: cpus ${String(cpus)} must be 1..32`);
    if (!Number.isInteger(spis) || spis < 0 || spis > 988) throw new RangeError(`${PREFIX} creating the GIC: spis ${String(spis)} must be 0..988`);
    this.cpus = cpus;
    this.spis = spis;
    this.#o = gicLayout(cpus, spis);
    this.buffer = opts.buffer ?? new SharedArrayBuffer(this.#o.bytes);
    if (this.buffer.byteLength < this.#o.bytes) throw new RangeError(`${PREFIX} attaching the GIC: the shared buffer is too small`);
    this.#i32 = new Int32Array(this.buffer, 0, this.#o.words);
    this.#prio = new Uint8Array(this.buffer, this.#o.words * 4, this.#o.prioBytes);
    this.#trace = opts.trace;
    this.#onError = opts.onHandlerError ?? ((e, irq, cpu) => console.error(`${PREFIX} handler of IRQ ${irq} on CPU ${cpu} threw`, e));
    if (!opts.buffer) this.#prio.fill(DEFAULT_PRIORITY);
    stampIdentity(this.#i32, this.#o);
    this.#slots = localSlots(this.#i32, this.#o);
  }

  /** Attach to a controller created in another thread (or another object over the same state in this one). */
  static fromDescriptor(d: GicDescriptor, opts: Omit<GicOptions, "cpus" | "spis"> = {}): InterruptController {
    if (d?.kind !== "v8r.gic") throw new TypeError(`${PREFIX} attaching the GIC: the descriptor is not a "v8r.gic" object`);
    return new InterruptController({ ...opts, cpus: d.cpus, spis: d.spis, buffer: d.buffer });
  }

  /** A plain description that can cross threads. */
  describe(): GicDescriptor {
    return { kind: "v8r.gic", buffer: this.buffer, cpus: this.cpus, spis: this.spis };
  }

  /** Highest valid interrupt ID + 1. */
  get lines(): number {
    return SPI_FIRST + this.spis;
  }

  /** Enable `irq` (on `cpu` for SGI/PPI); a line already pending fires now. */
  enable(irq: number, cpu = 0): void {
    const word = this.#wordChecked("enable", irq, cpu);
    const bit = bitOf(irq);
    Atomics.or(this.#i32, this.#o.enabled + word, bit);
    if (Atomics.load(this.#i32, this.#o.pending + word) & bit) this.#kick(this.#targetOf(irq, cpu));
  }

  /** Disable `irq`; raises keep it pending. */
  disable(irq: number, cpu = 0): void {
    Atomics.and(this.#i32, this.#o.enabled + this.#wordChecked("disable", irq, cpu), ~bitOf(irq));
  }

  /** Whether `irq` is enabled (on `cpu` for SGI/PPI). */
  isEnabled(irq: number, cpu = 0): boolean {
    return (Atomics.load(this.#i32, this.#o.enabled + this.#wordChecked("isEnabled", irq, cpu)) & bitOf(irq)) !== 0;
  }

  /** Whether `irq` is pending (on `cpu` for SGI/PPI). */
  isPending(irq: number, cpu = 0): boolean {
    return (Atomics.load(this.#i32, this.#o.pending + this.#wordChecked("isPending", irq, cpu)) & bitOf(irq)) !== 0;
  }

  /** Drop a pending `irq` without handling it. */
  clearPending(irq: number, cpu = 0): void {
    Atomics.and(this.#i32, this.#o.pending + this.#wordChecked("clearPending", irq, cpu), ~bitOf(irq));
  }

  /** Set the priority (0 highest .. 255 lowest) of `irq`. */
  setPriority(irq: number, priority: number, cpu = 0): void {
    this.#wordChecked("setPriority", irq, cpu);
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) {
      throw new RangeError(`${PREFIX} setting the priority of IRQ ${irq}: ${String(priority)} is not 0..255`);
    }
    Atomics.store(this.#prio, prioIndexOf(irq, cpu, this.cpus), priority);
  }

  /** The priority of `irq`. */
  priority(irq: number, cpu = 0): number {
    this.#wordChecked("priority", irq, cpu);
    return Atomics.load(this.#prio, prioIndexOf(irq, cpu, this.cpus));
  }

  /** Route SPI `irq` to `cpu` (default target: CPU 0). */
  setTarget(irq: number, cpu: number): void {
    this.#checkSpi("setTarget", irq);
    this.#checkCpu("setTarget", cpu);
    Atomics.store(this.#i32, this.#o.targets + irq - SPI_FIRST, cpu);
  }

  /** The CPU SPI `irq` is routed to. */
  target(irq: number): number {
    this.#checkSpi("target", irq);
    return Atomics.load(this.#i32, this.#o.targets + irq - SPI_FIRST);
  }

  /** Make `irq` pending: SGIs and PPIs on `cpu`, SPIs on their target CPU (`cpu` ignored). Allocates nothing unless traced. */
  raise(irq: number, cpu = 0): void {
    const word = this.#wordChecked("raise", irq, cpu);
    const bit = bitOf(irq);
    const target = this.#targetOf(irq, cpu);
    Atomics.or(this.#i32, this.#o.pending + word, bit);
    if (this.#trace?.active) this.#trace.emit({ type: "irq-raised", cpu: target, irq });
    if (Atomics.load(this.#i32, this.#o.enabled + word) & bit) this.#kick(target);
  }

  /** Send software-generated interrupt `sgi` (0-15) to each CPU in `targets`. */
  sendSgi(sgi: number, targets: number | readonly number[]): void {
    if (!Number.isInteger(sgi) || sgi < 0 || sgi >= IrqRange.PPI_FIRST) throw new RangeError(`${PREFIX} sending SGI ${String(sgi)}: SGI IDs are 0..15`);
    for (const cpu of typeof targets === "number" ? [targets] : targets) this.raise(sgi, cpu);
  }

  /** Register this thread's handler of `irq` on `cpu` (an SPI's handler runs while the SPI targets `cpu`); returns a function that removes it. A pending enabled line is handled right after. */
  onIrq(cpu: number, irq: number, handler: IrqHandler): () => void {
    this.#wordChecked("onIrq", irq, cpu);
    this.#checkCpu("onIrq", cpu);
    if (typeof handler !== "function") throw new TypeError(`${PREFIX} registering a handler of IRQ ${irq}: it is not a function`);
    const slot = slotOf(this.#slots, cpu);
    if (slot.handlers.has(irq)) throw new RangeError(`${PREFIX} registering a handler of IRQ ${irq} on CPU ${cpu}: it already has one`);
    slot.handlers.set(irq, handler);
    slot.lines = [...slot.handlers.keys()].sort((a, b) => a - b);
    if (slot.driver === undefined) {
      if (!slot.watching) this.#watch(cpu, slot);
      this.#schedule(cpu, slot);
    } else {
      this.#kick(cpu);
    }
    return () => {
      if (slot.handlers.get(irq) !== handler) return;
      slot.handlers.delete(irq);
      slot.lines = [...slot.handlers.keys()].sort((a, b) => a - b);
      this.#release(cpu, slot);
    };
  }

  /**
   * Let a run loop of this thread (e.g. a vCPU) take `cpu`'s interrupts: the
   * controller no longer delivers them by itself; when a line of the CPU
   * becomes deliverable it calls `kick` when the loop gave one (from this
   * thread; a loop that only runs in this thread, like a vCPU on a virtual
   * clock), else it changes the CPU's {@link InterruptController.wakeWord}
   * (which raises from other threads always do), and the loop calls
   * {@link InterruptController.dispatch}. Returns a function that gives the
   * CPU back. A later attach replaces an earlier one.
   */
  attachCpu(cpu: number, kick?: () => void): () => void {
    this.#checkCpu("attachCpu", cpu);
    const slot = slotOf(this.#slots, cpu);
    const driver = { kick };
    slot.driver = driver;
    slot.watchGen++;
    slot.watching = false;
    this.#kick(cpu);
    return () => {
      if (slot.driver !== driver) return;
      slot.driver = undefined;
      this.#release(cpu, slot);
    };
  }

  /** The word `cpu`'s run loop waits on (see {@link InterruptController.attachCpu}). */
  wakeWord(cpu: number): WakeWord {
    this.#checkCpu("wakeWord", cpu);
    return { array: this.#i32, index: this.#o.wake + cpu };
  }

  /** Wake whoever serves `cpu` without raising a line (e.g. to make a run loop look at other state). */
  wake(cpu: number): void {
    this.#checkCpu("wake", cpu);
    this.#kick(cpu);
  }

  /**
   * Handle now, in priority order, pending enabled lines of `cpu` that have a
   * handler in this thread: at most `budget` (the rest is delivered again
   * later), and only while `canTake()` holds (a paused vCPU takes nothing;
   * its lines stay pending). Returns how many ran.
   */
  dispatch(cpu: number, budget = DISPATCH_BUDGET, canTake?: () => boolean): number {
    this.#checkCpu("dispatch", cpu);
    const slot = this.#slots.get(cpu);
    if (slot === undefined) return 0;
    let ran = 0;
    for (;;) {
      if (canTake !== undefined && !canTake()) return ran;
      const irq = this.#nextPending(cpu, slot);
      if (irq < 0) return ran;
      if (ran >= budget) {
        this.#later(cpu, slot);
        return ran;
      }
      const bit = bitOf(irq);
      if ((Atomics.and(this.#i32, this.#o.pending + wordOf(irq, cpu, this.cpus), ~bit) & bit) === 0) continue;
      ran++;
      Atomics.add(this.#i32, this.#countIndex(irq, cpu), 1);
      try {
        slot.handlers.get(irq)?.(irq, cpu);
      } catch (e) {
        this.#onError(e, irq, cpu);
      }
      if (this.#trace?.active) this.#trace.emit({ type: "irq-handled", cpu, irq });
    }
  }

  /** How many times `irq` was handled on `cpu` (wraps at 2^32). */
  count(irq: number, cpu = 0): number {
    this.#wordChecked("count", irq, cpu);
    this.#checkCpu("count", cpu);
    return Atomics.load(this.#i32, this.#countIndex(irq, cpu)) >>> 0;
  }

  /** Every line handled at least once, ascending, with its count per CPU (for `/proc/interrupts` and dashboards). */
  counts(): IrqCount[] {
    const out: IrqCount[] = [];
    for (let irq = 0; irq < this.lines; irq++) {
      const perCpu = Array.from({ length: this.cpus }, (_, cpu) => Atomics.load(this.#i32, this.#countIndex(irq, cpu)) >>> 0);
      if (perCpu.some((n) => n > 0)) out.push({ irq, perCpu });
    }
    return out;
  }

  /** Back to the state after creation (nothing enabled or pending, counts 0, SPIs on CPU 0, default priorities); handlers and run loops stay. */
  reset(): void {
    const o = this.#o;
    for (let i = o.enabled; i < o.wake; i++) Atomics.store(this.#i32, i, 0);
    for (let i = o.targets; i < o.words; i++) Atomics.store(this.#i32, i, 0);
    this.#prio.fill(DEFAULT_PRIORITY);
  }

  #nextPending(cpu: number, slot: CpuSlot): number {
    let best = -1;
    let bestPrio = 256;
    const lines = slot.lines;
    const i32 = this.#i32;
    const o = this.#o;
    // SGIs and PPIs of a CPU share one word: read it once.
    const banked = Atomics.load(i32, o.pending + cpu) & Atomics.load(i32, o.enabled + cpu);
    for (let k = 0; k < lines.length; k++) {
      const irq = lines[k] as number; // handlers' lines were checked when registered
      if (irq < SPI_FIRST) {
        if ((banked & (1 << irq)) === 0) continue;
      } else {
        const word = wordOf(irq, cpu, this.cpus);
        if ((Atomics.load(i32, o.pending + word) & Atomics.load(i32, o.enabled + word) & bitOf(irq)) === 0) continue;
        if (this.#targetOf(irq, cpu) !== cpu) continue;
      }
      const p = Atomics.load(this.#prio, prioIndexOf(irq, cpu, this.cpus));
      if (p < bestPrio) {
        best = irq;
        bestPrio = p;
      }
    }
    return best;
  }

  /** Get `cpu`'s lines taken: by this thread's own delivery or run loop, else by whoever waits on its wake word. */
  #kick(cpu: number): void {
    const slot = this.#slots.get(cpu);
    if (slot !== undefined) {
      const driver = slot.driver;
      if (driver === undefined && slot.handlers.size > 0) return this.#schedule(cpu, slot);
      if (driver?.kick !== undefined) return driver.kick();
    }
    Atomics.add(this.#i32, this.#o.wake + cpu, 1);
    Atomics.notify(this.#i32, this.#o.wake + cpu);
  }

  /** More is pending than one dispatch takes: deliver the rest later. */
  #later(cpu: number, slot: CpuSlot): void {
    if (slot.driver !== undefined) this.#kick(cpu);
    else globalThis.setTimeout(() => this.dispatch(cpu), 0);
  }

  /** A handler or run loop left: stop the own delivery when nothing is left to serve. */
  #release(cpu: number, slot: CpuSlot): void {
    if (slot.driver !== undefined) return;
    if (slot.handlers.size === 0) {
      slot.watchGen++;
      slot.watching = false;
      if (this.#slots.get(cpu) === slot) this.#slots.delete(cpu);
      return;
    }
    if (!slot.watching) this.#watch(cpu, slot);
    this.#schedule(cpu, slot);
  }

  #schedule(cpu: number, slot: CpuSlot): void {
    if (slot.scheduled) return;
    slot.scheduled = true;
    queueMicrotask(() => {
      slot.scheduled = false;
      if (slot.driver === undefined) this.dispatch(cpu);
    });
  }

  /** Deliver `cpu`'s lines whenever its wake word changes, while this thread delivers them itself. */
  #watch(cpu: number, slot: CpuSlot): void {
    const gen = ++slot.watchGen;
    slot.watching = true;
    watchWord(this.#i32, this.#o.wake + cpu, () => slot.watchGen === gen, () => this.#schedule(cpu, slot));
  }

  #targetOf(irq: number, cpu: number): number {
    return irq >= SPI_FIRST ? Atomics.load(this.#i32, this.#o.targets + irq - SPI_FIRST) : cpu;
  }

  #countIndex(irq: number, cpu: number): number {
    return this.#o.counts + cpu * this.lines + irq;
  }

  /** Check `irq` (and `cpu` for SGIs and PPIs) and return the index of its bitmap word. */
  #wordChecked(op: string, irq: number, cpu: number): number {
    if (!Number.isInteger(irq) || irq < 0 || irq >= this.lines) {
      throw new RangeError(`${PREFIX} ${op} IRQ ${String(irq)}: valid IDs are 0..${this.lines - 1}`);
    }
    if (irq < SPI_FIRST) this.#checkCpu(op, cpu);
    return wordOf(irq, cpu, this.cpus);
  }

  #checkCpu(op: string, cpu: number): void {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) {
      throw new RangeError(`${PREFIX} ${op}: CPU ${String(cpu)} does not exist (the GIC has ${this.cpus})`);
    }
  }

  #checkSpi(op: string, irq: number): void {
    if (!Number.isInteger(irq) || irq < SPI_FIRST || irq >= this.lines) {
      throw new RangeError(`${PREFIX} ${op} IRQ ${String(irq)}: only SPIs (${SPI_FIRST}..${this.lines - 1}) have a target`);
    }
  }
}
