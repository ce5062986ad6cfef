/**
 * The registry of fault kinds. Each entry (see {@link SendFaultKind} and
 * {@link TimedFaultKind}) carries its name, text syntax, help line, parser,
 * checks and injector; the `--faults` parser and help of v8r-demo, the plan
 * checks of `bootXen` and the injection are all driven from this list. To add
 * a kind: write its entry, put it in {@link FAULT_KINDS}, test it. Each fault
 * of a plan draws from its own seeded stream, so adding one never changes what
 * the others do.
 *
 * @module
 */
import { CORRUPT, CRASH, DESTROY, PAUSE, RESTART } from "./_fault-kinds-timed.ts";
import { DELAY, DROP, DUPLICATE } from "./_fault-kinds-send.ts";
import type { AnyFaultKind, FaultSpecItem } from "./fault-kind.ts";

export type { CorruptFault, CrashFault, DestroyFault, PauseFault, RestartFault } from "./_fault-kinds-timed.ts";
export { MAX_CORRUPT_BYTES } from "./_fault-kinds-timed.ts";
export type { DelayFault, DropFault, DuplicateFault } from "./_fault-kinds-send.ts";

/** Every fault kind, send-path kinds first, in the order help lists them. */
export const FAULT_KINDS = [DROP, DELAY, DUPLICATE, CORRUPT, CRASH, RESTART, DESTROY, PAUSE] as const;

type KindOf<K> = K extends { parse(item: FaultSpecItem): infer F } ? F : never;
type Kinds = (typeof FAULT_KINDS)[number];

/** One fault of a plan: any kind of {@link FAULT_KINDS}. */
export type Fault = KindOf<Kinds>;

/** A fault decided in `send()` (drop, delay, duplicate, ...). */
export type SendFault = KindOf<Extract<Kinds, { readonly when: "send" }>>;

/** A fault fired once at `atMs` (corrupt, crash, restart, pause, ...). */
export type TimedFault = KindOf<Extract<Kinds, { readonly when: "timed" }>>;

const BY_NAME: ReadonlyMap<string, AnyFaultKind> = new Map(
  (FAULT_KINDS as readonly AnyFaultKind[]).flatMap((k) => [k.name, ...k.aliases].map((n): [string, AnyFaultKind] => [n, k])),
);

/**
 * The registry entry named `name` (or one of its aliases), `undefined` when there is none.
 * @example
 * ```ts
 * faultKind("dup")?.name; // "duplicate"
 * ```
 */
export function faultKind(name: string): AnyFaultKind | undefined {
  return BY_NAME.get(name);
}

/** True for a fault decided in `send()`. */
export function isSendFault(f: Fault): f is SendFault {
  return faultKind(f.kind)?.when === "send";
}
