/**
 * Internal: the registry entries of the send-path faults (drop, delay,
 * duplicate). Each is decided in `EVTCHNOP_send` on the sender's thread.
 */
import type { FaultSpecItem, SendFaultBase, SendFaultKind } from "./fault-kind.ts";

/** Lose a notification with a probability. */
export interface DropFault extends SendFaultBase {
  /** `"drop"`. */
  readonly kind: "drop";
  /** Probability (0..1) that a send is dropped. */
  readonly probability: number;
}

/** Deliver a notification late with a probability. */
export interface DelayFault extends SendFaultBase {
  /** `"delay"`. */
  readonly kind: "delay";
  /** Probability (0..1) that a send is delayed. */
  readonly probability: number;
  /** By how long, ms. */
  readonly ms: number;
}

/** Deliver a notification twice with a probability. */
export interface DuplicateFault extends SendFaultBase {
  /** `"duplicate"`. */
  readonly kind: "duplicate";
  /** Probability (0..1) that a send is delivered a second time (after the first was handled, when it can be). */
  readonly probability: number;
}

function checkProbability(name: string, p: number): string | undefined {
  return p >= 0 && p <= 1 ? undefined : `${name} probability ${String(p)} is not within 0..1`;
}

/** The one argument of `KIND=P`. */
function single(item: FaultSpecItem, usage: string): string {
  const [only] = item.args;
  if (item.args.length !== 1 || only === undefined) return item.fail(`expected ${usage}`);
  return only;
}

/** `drop=P`. */
export const DROP: SendFaultKind<DropFault> = {
  name: "drop",
  aliases: [],
  when: "send",
  syntax: "drop=P",
  help: "drop each event-channel delivery with probability P",
  parse: (item) => ({ kind: "drop", probability: item.probability(single(item, "drop=P")) }),
  format: (f) => `drop=${f.probability}`,
  check: (f) => checkProbability("drop", f.probability),
  apply(f, draw, fate) {
    if (draw >= f.probability) return false;
    fate.drop = true;
    return true;
  },
};

/** `delay=P:TIME`. */
export const DELAY: SendFaultKind<DelayFault> = {
  name: "delay",
  aliases: [],
  when: "send",
  syntax: "delay=P:TIME",
  help: "delay a delivery by TIME with probability P",
  parse(item) {
    if (item.args.length !== 2) item.fail("delay needs a probability and a length: delay=P:TIME");
    const ms = item.duration(item.args[1] ?? "");
    if (ms <= 0) item.fail("the delay must be longer than 0ms");
    return { kind: "delay", probability: item.probability(item.args[0] ?? ""), ms };
  },
  format: (f, w) => `delay=${f.probability}:${w.duration(f.ms)}`,
  check: (f) => checkProbability("delay", f.probability) ?? (f.ms >= 0 && Number.isFinite(f.ms) ? undefined : `delay ms ${String(f.ms)} must be 0 or more`),
  apply(f, draw, fate) {
    if (draw >= f.probability) return false;
    fate.delayMs += f.ms;
    return true;
  },
};

/** `dup=P` (or `duplicate=P`). */
export const DUPLICATE: SendFaultKind<DuplicateFault> = {
  name: "duplicate",
  aliases: ["dup"],
  when: "send",
  syntax: "dup=P",
  help: "deliver an event twice with probability P",
  parse: (item) => ({ kind: "duplicate", probability: item.probability(single(item, "dup=P")) }),
  format: (f) => `dup=${f.probability}`,
  check: (f) => checkProbability("duplicate", f.probability),
  apply(f, draw, fate) {
    if (draw >= f.probability) return false;
    fate.copies++;
    return true;
  },
};
