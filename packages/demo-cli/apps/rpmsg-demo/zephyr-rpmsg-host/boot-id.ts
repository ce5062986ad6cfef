/**
 * The boot id of a status sample: 8 hex digits, random per boot, or from a
 * seeded generator when bootargs carry `seed=N` (deterministic runs).
 *
 * @module
 */

/** A small seeded generator (xorshift32 over a mixed seed); returns u32 values. */
export function seededRandom(seed: number): () => number {
  let state = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 0x6d2b79f5;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/**
 * A boot id: from `seed` when given (same seed and `salt`, same id), else
 * from `crypto.getRandomValues`. `salt` tells boots with the same seed apart
 * (rpmsg-host passes the platform time at boot, so a restarted Zephyr gets a
 * new id and the same run replays to the same ids).
 */
export function makeBootId(seed?: number, salt = 0): string {
  let value: number;
  if (seed !== undefined) {
    value = seededRandom((seed ^ Math.imul(salt >>> 0, 0x9e3779b1)) >>> 0)();
  } else {
    const words = new Uint32Array(1);
    globalThis.crypto.getRandomValues(words);
    value = words[0] ?? 0;
  }
  return value.toString(16).padStart(8, "0");
}
