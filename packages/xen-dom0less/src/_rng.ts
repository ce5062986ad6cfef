/**
 * Internal: a small seeded pseudo-random generator for fault injection (a Weyl
 * sequence passed through a 32-bit avalanche mix). Same seed and stream, same
 * numbers, on every engine.
 */

/** A deterministic source of numbers. */
export interface Rng {
  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number;
  /** A number in [0, 1). */
  next(): number;
}

const GOLDEN = 0x9e3779b9;

function mix(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A generator for `seed`; `stream` picks an independent sequence (e.g. one per domain). */
export function createRng(seed: number, stream = 0): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`[xen-dom0less] seeding the fault RNG: seed ${String(seed)} is not a finite number`);
  let state = mix(Math.trunc(seed) ^ mix(Math.floor(seed / 0x1_0000_0000))) ^ mix(Math.imul(stream + 1, GOLDEN));
  const u32 = (): number => {
    state = (state + GOLDEN) | 0;
    return mix(state);
  };
  return { u32, next: () => u32() / 0x1_0000_0000 };
}

/**
 * A stream number for `key` (32-bit FNV-1a of its UTF-16 code units), so each
 * named consumer (a fault kind, one of its items, a domain instance) draws
 * from its own sequence and never shifts another's.
 */
export function streamId(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
