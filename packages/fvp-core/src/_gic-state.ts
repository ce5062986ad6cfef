/**
 * Internal: where an `InterruptController`'s shared state lies in its
 * SharedArrayBuffer, and the thread-local side of it: which CPU interfaces
 * this thread serves (handlers, and the run loop that takes their
 * interrupts). The thread-local part is kept per state on `globalThis`, keyed
 * by a random identity written into the state when it is created (a
 * SharedArrayBuffer structured-cloned within a thread is a new object over
 * the same memory), so every controller object attached to the same state in
 * one thread (and every copy of this module) sees the same handlers: a line
 * raised through one object reaches the handlers registered through another.
 */
import { waitAsync } from "./_atomics.ts";
import type { FvpTraceEvent, TraceSink } from "./trace-bus.ts";

/** Interrupt IDs of the GICv3 model (GICv3 architecture spec, section 2.2 "INTIDs"). */
export const SPI_FIRST = 32;

/**
 * Int32 word offsets of the shared state: two identity words, enabled bits, pending bits, a wake
 * word per CPU interface, SPI targets, then the handled-interrupt counters
 * (per CPU interface, one per SGI/PPI/SPI line), then priority bytes.
 */
export interface GicLayout {
  readonly identity: number;
  readonly enabled: number;
  readonly pending: number;
  readonly wake: number;
  readonly targets: number;
  readonly counts: number;
  /** Int32 words before the priority bytes. */
  readonly words: number;
  readonly prioBytes: number;
  readonly bytes: number;
}

/** The layout for `cpus` CPU interfaces and `spis` SPIs. */
export function gicLayout(cpus: number, spis: number): GicLayout {
  const bitWords = cpus + Math.ceil(spis / 32);
  const identity = 0;
  const enabled = identity + 2;
  const pending = enabled + bitWords;
  const wake = pending + bitWords;
  const targets = wake + cpus;
  const counts = targets + spis;
  const words = counts + cpus * (SPI_FIRST + spis);
  const prioBytes = cpus * 32 + spis;
  return { identity, enabled, pending, wake, targets, counts, words, prioBytes, bytes: words * 4 + prioBytes };
}

/** Index of the bitmap word holding `irq` (a per-CPU word for SGIs and PPIs). */
export function wordOf(irq: number, cpu: number, cpus: number): number {
  return irq < SPI_FIRST ? cpu : cpus + ((irq - SPI_FIRST) >>> 5);
}

/** The bit of `irq` in its word. */
export function bitOf(irq: number): number {
  return irq < SPI_FIRST ? 1 << irq : 1 << ((irq - SPI_FIRST) & 31);
}

/** Index of `irq`'s priority byte (banked per CPU for SGIs and PPIs). */
export function prioIndexOf(irq: number, cpu: number, cpus: number): number {
  return irq < SPI_FIRST ? cpu * 32 + irq : cpus * 32 + irq - SPI_FIRST;
}

/** Structured-cloneable description of an `InterruptController`'s shared state. */
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

/** Options of `InterruptController`. */
export interface GicOptions {
  /** Number of CPUs (1..32). */
  cpus: number;
  /** Number of SPI lines (default 64). */
  spis?: number;
  /** Receives irq-raised / irq-handled events. */
  trace?: TraceSink<FvpTraceEvent>;
  /** Called when a handler throws (default: console.error); other handlers still run. */
  onHandlerError?: (error: unknown, irq: number, cpu: number) => void;
}

/** One line's handled-interrupt counts, as `/proc/interrupts` shows them. */
export interface IrqCount {
  /** Interrupt ID. */
  readonly irq: number;
  /** Times it was handled on each CPU interface, by CPU index. */
  readonly perCpu: readonly number[];
}

/** The word a CPU interface's run loop waits on (`Atomics.wait`/`waitAsync`): it changes whenever the CPU has something to take. */
export interface WakeWord {
  /** The controller's shared words. */
  readonly array: Int32Array;
  /** Index of the CPU's wake word in `array`. */
  readonly index: number;
}

/** Handler of one interrupt line on one CPU. */
export type IrqHandler = (irq: number, cpu: number) => void;

/** What this thread does for one CPU interface of one controller state. */
export interface CpuSlot {
  /** Handlers by line. */
  readonly handlers: Map<number, IrqHandler>;
  /** The lines that have a handler, ascending (scanned without allocating). */
  lines: number[];
  /** A run loop took this CPU interface (see `attachCpu`): the controller does not deliver by itself then. */
  driver: { readonly kick: (() => void) | undefined } | undefined;
  /** Generation of the controller's own delivery loop (a changed value stops the loop). */
  watchGen: number;
  /** Whether the controller's own loop is running. */
  watching: boolean;
  /** A delivery is queued in a microtask. */
  scheduled: boolean;
}

/** Call `onChange` now and whenever word `index` of `i32` changes, while `live()` holds (Atomics.waitAsync, else polling every millisecond). */
export function watchWord(i32: Int32Array, index: number, live: () => boolean, onChange: () => void): void {
  const wait = waitAsync;
  if (!wait) {
    let seen = -1;
    const tick = (): void => {
      if (!live()) return;
      const now = Atomics.load(i32, index);
      if (now !== seen) onChange();
      seen = now;
      globalThis.setTimeout(tick, 1);
    };
    return tick();
  }
  const loop = (): void => {
    if (!live()) return;
    const seen = Atomics.load(i32, index);
    onChange();
    const r = wait(i32, index, seen);
    if (r.async) void r.value.then(loop);
    else queueMicrotask(loop);
  };
  loop();
}

const REGISTRY = Symbol.for("v8r.fvp-core.gic-cpu-slots");

/** Give state without an identity one (two random words, the second odd); a no-op once it has one, whichever thread stamped it. */
export function stampIdentity(i32: Int32Array, layout: GicLayout): void {
  if (Atomics.load(i32, layout.identity + 1) !== 0) return;
  const rnd = new Uint32Array(2);
  if (typeof crypto?.getRandomValues === "function") crypto.getRandomValues(rnd);
  else for (let k = 0; k < 2; k++) rnd[k] = Math.floor(Math.random() * 0x1_0000_0000);
  Atomics.compareExchange(i32, layout.identity, 0, rnd[0] as number);
  Atomics.compareExchange(i32, layout.identity + 1, 0, (rnd[1] as number) | 1);
}

/** This thread's CPU slots of the controller state `i32`, by CPU index (one map per state, kept for the thread's life). */
export function localSlots(i32: Int32Array, layout: GicLayout): Map<number, CpuSlot> {
  const g = globalThis as { [REGISTRY]?: Map<string, Map<number, CpuSlot>> };
  const all = (g[REGISTRY] ??= new Map());
  const key = `${Atomics.load(i32, layout.identity)}:${Atomics.load(i32, layout.identity + 1)}`;
  let slots = all.get(key);
  if (slots === undefined) {
    slots = new Map();
    all.set(key, slots);
  }
  return slots;
}

/** The slot of `cpu`, created empty when missing. */
export function slotOf(slots: Map<number, CpuSlot>, cpu: number): CpuSlot {
  let slot = slots.get(cpu);
  if (slot === undefined) {
    slot = { handlers: new Map(), lines: [], driver: undefined, watchGen: 0, watching: false, scheduled: false };
    slots.set(cpu, slot);
  }
  return slot;
}
