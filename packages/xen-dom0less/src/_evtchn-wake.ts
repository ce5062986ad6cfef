/**
 * Internal: how a hypercall wakes a domain's vCPU. Worker mode: bump the wake
 * word and `Atomics.notify` it (the vCPU's loop waits on it). Inline mode: the
 * vCPU registered a kicker in this thread's registry, which queues its upcall
 * on the platform clock (`setTimeout(0)`), so delivery order follows the clock.
 * The registry lives on `globalThis` so every copy of this module in a thread
 * (bundlers, test runners) sees the same kickers.
 */
import { Word } from "./_evtchn-layout.ts";

/** How the domains of one hypervisor run. */
export type WakeMode = "inline" | "worker";

type Kicker = () => void;

const REGISTRY = Symbol.for("v8r.xen-dom0less.vcpu-kickers");

function registry(): Map<string, Kicker> {
  const g = globalThis as { [REGISTRY]?: Map<string, Kicker> };
  let map = g[REGISTRY];
  if (map === undefined) {
    map = new Map();
    g[REGISTRY] = map;
  }
  return map;
}

/** The registry key of domain `domid` of hypervisor instance `xenId`. */
export function vcpuKey(xenId: string, domid: number): string {
  return `${xenId}/d${domid}`;
}

/** Register this thread's kicker of a vCPU; returns a function that removes it (only if it is still the registered one). */
export function registerKicker(key: string, kick: Kicker): () => void {
  const map = registry();
  map.set(key, kick);
  return () => {
    if (map.get(key) === kick) map.delete(key);
  };
}

/** Forget the kicker of `key` (the hypervisor does this when it stops a domain instance). */
export function dropKicker(key: string): void {
  registry().delete(key);
}

/** Wake the vCPU of the domain whose shared state is `s`. */
export function wakeVcpu(mode: WakeMode, key: string, s: Int32Array): void {
  Atomics.add(s, Word.WAKE, 1);
  if (mode === "inline") registry().get(key)?.();
  else Atomics.notify(s, Word.WAKE);
}
