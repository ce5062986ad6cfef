/**
 * Copying a payload into shared memory at full speed whatever its alignment.
 * V8 copies into a SharedArrayBuffer a word at a time only when source and
 * destination are aligned alike to 8 bytes, else a byte at a time (several
 * times slower): a payload in a Zephyr static-vrings pool (MEM_ALIGNMENT 4)
 * sits at 4 mod 8. A larger payload that is not aligned like its destination
 * is copied first into private memory aligned like it (a plain memcpy), then
 * from there.
 */

/** Payloads up to this many bytes are copied directly: staging gains nothing below (measured: a loss at 128, half the time at 496). */
const DIRECT_MAX = 192;
/** Backing stores are at least this aligned; what counts is the offsets modulo it. */
const WORD = 8;

/** @internal A copier into views of shared memory (its staging area grows to the largest payload). No allocation per copy once warm. */
export function makeShmCopy(): (dst: Uint8Array, src: Uint8Array) => void {
  let staging = new ArrayBuffer(0);
  let shift = -1;
  // staging views by length, at the current shift: made once per length
  let views: Uint8Array[] = [];
  return (dst, src) => {
    const n = src.length;
    const s = dst.byteOffset & (WORD - 1);
    if (n <= DIRECT_MAX || (src.byteOffset & (WORD - 1)) === s) {
      dst.set(src);
      return;
    }
    if (s !== shift || n + WORD > staging.byteLength) {
      if (n + WORD > staging.byteLength) staging = new ArrayBuffer(Math.ceil((n + WORD) / 512) * 512);
      shift = s;
      views = [];
    }
    let v = views[n];
    if (v === undefined) views[n] = v = new Uint8Array(staging, s, n);
    v.set(src);
    dst.set(v);
  };
}
