import { waitAsync } from "./_atomics.ts";
import { PREFIX } from "./_format.ts";
import type { TraceSink } from "./trace-bus.ts";

/** Interrupt ID ranges of the GICv3 model (GICv3 architecture spec, section 2.2 "INTIDs"). */
export const IrqRange = {
  /** Software-generated interrupts 0-15, banked per CPU. */
  SGI_FIRST: 0,
  /** Private peripheral interrupts 16-31, banked per CPU. */
  PPI_FIRST: 16,
  /** Shared peripheral interrupts from 32, routed to one target CPU. */
  SPI_FIRST: 32,
} as const;

/** Default priority of every line (GICv3: lower value = higher priority). */
export const DEFAULT_PRIORITY = 0xa0;

/** Handler of one interrupt line on one CPU. */
export type IrqHandler = (irq: number, cpu: number) => void;

/** Structured-cloneable description of an {@link InterruptController}'s shared state. */
export interface GicDescriptor {
  /** Always `"v8r.gic"`. */
  readonly kind: "v8r.gic";
  /** The shared state. */
  readonly buffer: SharedArrayBuffer;
  /** Number of CPUs. */
  readonly cpus: number;
  /** Number of SPI lines (IDs 32 .. 32 + spis - 1). */
  readonly spis: number;
}

/** Options of {@link InterruptController}. */
export interface GicOptions {
  /** Number of CPUs (1..32). */
  cpus: number;
  /** Number of SPI lines (default 64). */
  spis?: number;
  /** Receives irq-raised / irq-handled events. */
  trace?: TraceSink;
  /** Called when a handler throws (default: console.error); other handlers still run. */
  onHandlerError?: (error: unknown, irq: number, cpu: number) => void;
}

const DISPATCH_BUDGET = 1000;

/**
 * A GICv3-flavoured interrupt controller. SGIs (0-15) and PPIs (16-31) are
 * banked per CPU, SPIs (32+) are routed to one target CPU. Enable, pending
 * and priority state lives in a SharedArrayBuffer: any thread can raise a
 * line (rebuild the controller there with {@link InterruptController.fromDescriptor}),
 * and the thread that registered handlers for the target CPU is woken
 * through Atomics. Several pending lines are handled highest priority
 * (lowest value) first, ties by lower ID; a line raised while disabled stays
 * pending and fires once when enabled.
 *
 * @example
 * ```ts
 * const gic = new InterruptController({ cpus: 2 });
 * gic.onIrq(1, 40, (irq) => console.log("SPI", irq));
 * gic.setTarget(40, 1);
 * gic.enable(40);
 * gic.raise(40); // handler runs in a microtask
 * ```
 */
export class InterruptController {
  /** Number of CPUs. */
  readonly cpus: number;
  /** Number of SPI lines. */
  readonly spis: number;
  /** The shared state. */
  readonly buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #prio: Uint8Array;
  readonly #trace: TraceSink | undefined;
  readonly #onError: (error: unknown, irq: number, cpu: number) => void;
  readonly #handlers = new Map<number, Map<number, IrqHandler>>();
  readonly #scheduled = new Set<number>();
  readonly #watchGen = new Map<number, number>();
  readonly #o: ReturnType<typeof layout>;

  /** Create a controller, or attach to shared state with `buffer` (see {@link InterruptController.fromDescriptor}). */
  constructor(opts: GicOptions & { buffer?: SharedArrayBuffer }) {
    const cpus = opts.cpus;
    const spis = opts.spis ?? 64;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 32) throw new RangeError(`${PREFIX} creating the GIC: cpus ${String(cpus)} must be 1..32`);
    if (!Number.isInteger(spis) || spis < 0 || spis > 988) throw new RangeError(`${PREFIX} creating the GIC: spis ${String(spis)} must be 0..988`);
    this.cpus = cpus;
    this.spis = spis;
    this.#o = layout(cpus, spis);
    this.buffer = opts.buffer ?? new SharedArrayBuffer(this.#o.bytes);
    if (this.buffer.byteLength < this.#o.bytes) throw new RangeError(`${PREFIX} attaching the GIC: the shared buffer is too small`);
    this.#i32 = new Int32Array(this.buffer, 0, this.#o.words);
    this.#prio = new Uint8Array(this.buffer, this.#o.words * 4, this.#o.prioBytes);
    this.#trace = opts.trace;
    this.#onError = opts.onHandlerError ?? ((e, irq, cpu) => console.error(`${PREFIX} handler of IRQ ${irq} on CPU ${cpu} threw`, e));
    if (!opts.buffer) this.#prio.fill(DEFAULT_PRIORITY);
  }

  /** Attach to a controller created in another thread. */
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
    return IrqRange.SPI_FIRST + this.spis;
  }

  /** Enable `irq` (on `cpu` for SGI/PPI); a line already pending fires now. */
  enable(irq: number, cpu = 0): void {
    const [word, bit] = this.#bitOf("enable", irq, cpu);
    Atomics.or(this.#i32, this.#o.enabled + word, bit);
    if (Atomics.load(this.#i32, this.#o.pending + word) & bit) this.#kick(this.#targetOf(irq, cpu));
  }

  /** Disable `irq`; raises keep it pending. */
  disable(irq: number, cpu = 0): void {
    const [word, bit] = this.#bitOf("disable", irq, cpu);
    Atomics.and(this.#i32, this.#o.enabled + word, ~bit);
  }

  /** Whether `irq` is enabled (on `cpu` for SGI/PPI). */
  isEnabled(irq: number, cpu = 0): boolean {
    const [word, bit] = this.#bitOf("isEnabled", irq, cpu);
    return (Atomics.load(this.#i32, this.#o.enabled + word) & bit) !== 0;
  }

  /** Whether `irq` is pending (on `cpu` for SGI/PPI). */
  isPending(irq: number, cpu = 0): boolean {
    const [word, bit] = this.#bitOf("isPending", irq, cpu);
    return (Atomics.load(this.#i32, this.#o.pending + word) & bit) !== 0;
  }

  /** Drop a pending `irq` without handling it. */
  clearPending(irq: number, cpu = 0): void {
    const [word, bit] = this.#bitOf("clearPending", irq, cpu);
    Atomics.and(this.#i32, this.#o.pending + word, ~bit);
  }

  /** Set the priority (0 highest .. 255 lowest) of `irq`. */
  setPriority(irq: number, priority: number, cpu = 0): void {
    this.#bitOf("setPriority", irq, cpu);
    if (!Number.isInteger(priority) || priority < 0 || priority > 255) {
      throw new RangeError(`${PREFIX} setting the priority of IRQ ${irq}: ${String(priority)} is not 0..255`);
    }
    Atomics.store(this.#prio, this.#prioIndex(irq, cpu), priority);
  }

  /** The priority of `irq`. */
  priority(irq: number, cpu = 0): number {
    this.#bitOf("priority", irq, cpu);
    return Atomics.load(this.#prio, this.#prioIndex(irq, cpu));
  }

  /** Route SPI `irq` to `cpu` (default target: CPU 0). */
  setTarget(irq: number, cpu: number): void {
    this.#checkSpi("setTarget", irq);
    this.#checkCpu("setTarget", cpu);
    Atomics.store(this.#i32, this.#o.targets + irq - IrqRange.SPI_FIRST, cpu);
  }

  /** The CPU SPI `irq` is routed to. */
  target(irq: number): number {
    this.#checkSpi("target", irq);
    return Atomics.load(this.#i32, this.#o.targets + irq - IrqRange.SPI_FIRST);
  }

  /** Make `irq` pending: SGIs and PPIs on `cpu`, SPIs on their target CPU (`cpu` ignored). */
  raise(irq: number, cpu = 0): void {
    const [word, bit] = this.#bitOf("raise", irq, cpu);
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
    this.#bitOf("onIrq", irq, cpu);
    if (typeof handler !== "function") throw new TypeError(`${PREFIX} registering a handler of IRQ ${irq}: it is not a function`);
    const target = cpu;
    let forCpu = this.#handlers.get(target);
    if (!forCpu) {
      forCpu = new Map();
      this.#handlers.set(target, forCpu);
      this.#watch(target);
    }
    if (forCpu.has(irq)) throw new RangeError(`${PREFIX} registering a handler of IRQ ${irq} on CPU ${target}: it already has one`);
    forCpu.set(irq, handler);
    this.#schedule(target);
    return () => {
      if (forCpu.get(irq) !== handler) return;
      forCpu.delete(irq);
      if (forCpu.size === 0 && this.#handlers.get(target) === forCpu) {
        this.#handlers.delete(target);
        this.#watchGen.set(target, (this.#watchGen.get(target) ?? 0) + 1);
      }
    };
  }

  /** Handle now, in priority order, every pending enabled line of `cpu` that has a handler in this thread; returns how many ran. */
  dispatch(cpu: number): number {
    this.#checkCpu("dispatch", cpu);
    const handlers = this.#handlers.get(cpu);
    let ran = 0;
    while (handlers && handlers.size > 0) {
      if (ran >= DISPATCH_BUDGET) {
        globalThis.setTimeout(() => this.dispatch(cpu), 0);
        break;
      }
      const irq = this.#nextPending(cpu, handlers);
      if (irq < 0) break;
      const word = this.#word(irq, cpu);
      const bit = this.#bit(irq);
      if ((Atomics.and(this.#i32, this.#o.pending + word, ~bit) & bit) === 0) continue;
      ran++;
      try {
        handlers.get(irq)?.(irq, cpu);
      } catch (e) {
        this.#onError(e, irq, cpu);
      }
      if (this.#trace?.active) this.#trace.emit({ type: "irq-handled", cpu, irq });
    }
    return ran;
  }

  #nextPending(cpu: number, handlers: Map<number, IrqHandler>): number {
    let best = -1;
    let bestPrio = 256;
    for (const irq of handlers.keys()) {
      if (irq >= IrqRange.SPI_FIRST && this.#targetOf(irq, cpu) !== cpu) continue;
      const word = this.#word(irq, cpu); // handlers' lines were checked when registered
      const live = Atomics.load(this.#i32, this.#o.pending + word) & Atomics.load(this.#i32, this.#o.enabled + word) & this.#bit(irq);
      if (!live) continue;
      const p = Atomics.load(this.#prio, this.#prioIndex(irq, cpu));
      if (p < bestPrio || (p === bestPrio && irq < best)) {
        best = irq;
        bestPrio = p;
      }
    }
    return best;
  }

  /** Get `cpu`'s handlers to run: locally when this thread owns it, else wake its owner. */
  #kick(cpu: number): void {
    if (this.#handlers.has(cpu)) {
      this.#schedule(cpu);
      return;
    }
    Atomics.add(this.#i32, this.#o.wake + cpu, 1);
    Atomics.notify(this.#i32, this.#o.wake + cpu);
  }

  #schedule(cpu: number): void {
    if (this.#scheduled.has(cpu)) return;
    this.#scheduled.add(cpu);
    queueMicrotask(() => {
      this.#scheduled.delete(cpu);
      this.dispatch(cpu);
    });
  }

  /** Wait (without blocking) on `cpu`'s wake word while this thread has handlers for it. */
  #watch(cpu: number): void {
    const wait = waitAsync;
    if (!wait) return this.#poll(cpu);
    const gen = (this.#watchGen.get(cpu) ?? 0) + 1;
    this.#watchGen.set(cpu, gen);
    const loop = (): void => {
      if (this.#watchGen.get(cpu) !== gen) return;
      const seen = Atomics.load(this.#i32, this.#o.wake + cpu);
      this.#schedule(cpu);
      const r = wait(this.#i32, this.#o.wake + cpu, seen);
      if (r.async) void r.value.then(loop);
      else queueMicrotask(loop);
    };
    loop();
  }

  /** Fallback where Atomics.waitAsync is missing: poll the wake word every millisecond. */
  #poll(cpu: number): void {
    const gen = (this.#watchGen.get(cpu) ?? 0) + 1;
    this.#watchGen.set(cpu, gen);
    let seen = -1;
    const tick = (): void => {
      if (this.#watchGen.get(cpu) !== gen) return;
      const now = Atomics.load(this.#i32, this.#o.wake + cpu);
      if (now !== seen) this.#schedule(cpu);
      seen = now;
      globalThis.setTimeout(tick, 1);
    };
    tick();
  }

  #targetOf(irq: number, cpu: number): number {
    return irq >= IrqRange.SPI_FIRST ? Atomics.load(this.#i32, this.#o.targets + irq - IrqRange.SPI_FIRST) : cpu;
  }

  #bitOf(op: string, irq: number, cpu: number): [word: number, bit: number] {
    if (!Number.isInteger(irq) || irq < 0 || irq >= this.lines) {
      throw new RangeError(`${PREFIX} ${op} IRQ ${String(irq)}: valid IDs are 0..${this.lines - 1}`);
    }
    if (irq < IrqRange.SPI_FIRST) this.#checkCpu(op, cpu);
    return [this.#word(irq, cpu), this.#bit(irq)];
  }

  /** Index of the bitmap word holding `irq` (per-CPU word for SGIs and PPIs); unchecked. */
  #word(irq: number, cpu: number): number {
    return irq < IrqRange.SPI_FIRST ? cpu : this.cpus + ((irq - IrqRange.SPI_FIRST) >>> 5);
  }

  /** The bit of `irq` in its word; unchecked. */
  #bit(irq: number): number {
    return irq < IrqRange.SPI_FIRST ? 1 << irq : 1 << ((irq - IrqRange.SPI_FIRST) & 31);
  }

  #prioIndex(irq: number, cpu: number): number {
    return irq < IrqRange.SPI_FIRST ? cpu * 32 + irq : this.cpus * 32 + irq - IrqRange.SPI_FIRST;
  }

  #checkCpu(op: string, cpu: number): void {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.cpus) {
      throw new RangeError(`${PREFIX} ${op}: CPU ${String(cpu)} does not exist (the GIC has ${this.cpus})`);
    }
  }

  #checkSpi(op: string, irq: number): void {
    if (!Number.isInteger(irq) || irq < IrqRange.SPI_FIRST || irq >= this.lines) {
      throw new RangeError(`${PREFIX} ${op} IRQ ${String(irq)}: only SPIs (${IrqRange.SPI_FIRST}..${this.lines - 1}) have a target`);
    }
  }
}

/** Word offsets of the shared state: [enabled bits][pending bits][wake words][SPI targets], then priority bytes. */
function layout(cpus: number, spis: number) {
  const bitWords = cpus + Math.ceil(spis / 32);
  const enabled = 0;
  const pending = enabled + bitWords;
  const wake = pending + bitWords;
  const targets = wake + cpus;
  const words = targets + spis;
  const prioBytes = cpus * 32 + spis;
  return { enabled, pending, wake, targets, words, prioBytes, bytes: words * 4 + prioBytes };
}
