/**
 * What one kind of fault is made of: its name and text syntax, its help
 * line, how it is read from and written to the text form, how it is checked
 * against a booted system, and its injector. The registry of every kind is
 * `FAULT_KINDS` (fault-kinds.ts); the `--faults` parser, the help text, the
 * plan checks and the injection are all driven from it, so a new kind is one
 * entry there (and its test).
 *
 * @module
 */
import type { Clock, MemoryWindow } from "@v8r/fvp-core";

/** Every fault of a plan names its kind. */
export interface FaultBase {
  /** The registry name of its kind, e.g. `"drop"`. */
  readonly kind: string;
}

/** A fault applied in `EVTCHNOP_send` on the sender's thread. */
export interface SendFaultBase extends FaultBase {
  /** Only sends on these local ports are affected (default: every port). */
  readonly ports?: readonly number[];
}

/** A fault that happens once, at a time. */
export interface TimedFaultBase extends FaultBase {
  /** When, in ms after boot. */
  readonly atMs: number;
}

/** One item of the text form being read: `KIND=A:B` (a send fault) or `KIND:A:B@TIME` (a timed fault). */
export interface FaultSpecItem {
  /** The item as written, for messages. */
  readonly token: string;
  /** The parts after `=` or between the kind and `@`, split at `:` (empty when there are none). */
  readonly args: readonly string[];
  /** For a timed item, its time in ms (0 for a send item). */
  readonly atMs: number;
  /** A probability from `0.3`, `.3` or `30%`; fails the item otherwise. */
  probability(text: string): number;
  /** A duration like `5ms` or `1m30s`, in ms; fails the item otherwise. */
  duration(text: string): number;
  /** Stop reading the item: it is wrong because of `reason`. */
  fail(reason: string): never;
}

/** What writing a fault back in the text form needs. */
export interface FaultSpecWriter {
  /** A duration in ms as text, e.g. `1m30s`. */
  duration(ms: number): string;
}

/** A named byte range of a static shm region (e.g. one vring of an OpenAMP layout). */
export interface ShmRange {
  /** Its name, e.g. `"vring1.avail"`. */
  readonly name: string;
  /** First byte, from the start of the region. */
  readonly offset: number;
  /** Length in bytes. */
  readonly size: number;
}

/** A static shm region as fault checks see it. */
export interface FaultRegion {
  /** `xen,shm-id`. */
  readonly id: string;
  /** Size in bytes. */
  readonly size: number;
}

/** What a plan is checked against: the booted system's regions and domains. */
export interface FaultCheckTarget {
  /** The static shm regions, in configuration order. */
  regions(): readonly FaultRegion[];
  /** The named ranges of region `id` (none unless the boot options name some). */
  ranges(id: string): readonly ShmRange[];
  /** Whether a domain of that name exists. */
  hasDomain(name: string): boolean;
}

/** What timed faults act on. */
export interface FaultTarget extends FaultCheckTarget {
  /** The platform clock. */
  readonly clock: Clock;
  /** A host-side window on region `id`, `undefined` for an unknown id. */
  window(id: string): MemoryWindow | undefined;
  /** Crash a domain (its `on_crash` policy applies). */
  crash(name: string, reason: string): Promise<void>;
  /** Restart a domain. */
  restart(name: string): Promise<void>;
  /** `xl destroy` a domain. */
  destroy(name: string): Promise<void>;
  /** `xl pause` a domain (a no-op unless it is running). */
  pause(name: string): void;
  /** `xl unpause` a domain (a no-op unless it is paused). */
  unpause(name: string): void;
  /** Publish an `xen-fault` event with these fields (the kind and `atMs` are added). */
  emit(kind: string, fields: Readonly<Record<string, unknown>>): void;
}

/**
 * What happens to one send, built up by the send faults that fire on it. One
 * object is reused for every send of a domain: the hot path allocates nothing.
 */
export interface SendFate {
  /** The notification is lost. */
  drop: boolean;
  /** Delivery delay in ms (0: now). */
  delayMs: number;
  /** Extra deliveries after the first. */
  copies: number;
  /** Names of the kinds that fired, in plan order. */
  readonly kinds: string[];
}

/** A random draw for a timed fault: its own seeded sequence. */
export interface FaultRng {
  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number;
  /** A number in [0, 1). */
  next(): number;
}

interface FaultKindCommon<F extends FaultBase> {
  /** Registry name, the `kind` of its faults. */
  readonly name: F["kind"];
  /** Other names the text form accepts. */
  readonly aliases: readonly string[];
  /** The text syntax, e.g. `drop=P`. */
  readonly syntax: string;
  /** One help line (continuation lines after `\n`). */
  readonly help: string;
  /** Read an item of the text form. */
  parse(item: FaultSpecItem): F;
  /** Write a fault back in the text form (timed faults: without `@TIME`). */
  format(fault: F, w: FaultSpecWriter): string;
  /** Why the fault cannot apply to `target`, or `undefined` when it can. */
  check(fault: F, target: FaultCheckTarget): string | undefined;
}

/** A kind of fault decided in `send()`: each fault of it draws one number per send it covers, from its own stream. */
export interface SendFaultKind<F extends SendFaultBase> extends FaultKindCommon<F> {
  /** Applied to notifications. */
  readonly when: "send";
  /** Apply the fault to `fate` when `draw` (uniform in [0, 1)) says it fires; true when it fired. */
  apply(fault: F, draw: number, fate: SendFate): boolean;
}

/** A kind of fault that fires once on the platform clock, on the main thread. */
export interface TimedFaultKind<F extends TimedFaultBase> extends FaultKindCommon<F> {
  /** Fires at `atMs`. */
  readonly when: "timed";
  /** Do it now; `rng` is this fault's own seeded sequence. */
  fire(fault: F, target: FaultTarget, rng: FaultRng): void;
}

/** Any registry entry. */
export type AnyFaultKind = SendFaultKind<SendFaultBase> | TimedFaultKind<TimedFaultBase>;

/** Names: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`. */
export const FAULT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
