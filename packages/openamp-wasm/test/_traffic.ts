import type { RpmsgEndpoint } from "../src/rpmsg-endpoint.ts";

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fill `buf[0..len)` with the pattern of message `seq`: seq (LE) first, then (seq*7 + j). */
export function fillMessage(buf: Uint8Array, seq: number, len: number): void {
  for (let j = 0; j < len; j++) buf[j] = (seq * 7 + j) & 0xff;
  for (let j = 0; j < 4 && j < len; j++) buf[j] = (seq >>> (8 * j)) & 0xff;
}

/**
 * One direction of a sequenced stream: the sender draws lengths 0..496 from a
 * seeded PRNG; the receiver draws the same sequence and checks length and bytes,
 * so loss, duplication and reordering are all detected (0-byte messages too).
 */
export class Stream {
  sent = 0;
  received = 0;
  errors: string[] = [];
  readonly #sendLen: () => number;
  readonly #recvLen: () => number;
  readonly #scratch = new Uint8Array(496);
  readonly #expect = new Uint8Array(496);

  readonly total: number;

  constructor(seed: number, total: number) {
    this.total = total;
    const a = prng(seed);
    const b = prng(seed);
    this.#sendLen = () => Math.floor(a() * 497);
    this.#recvLen = () => Math.floor(b() * 497);
  }

  /** Send as many as possible now; returns how many went out. */
  pushFrom(ep: RpmsgEndpoint): number {
    let n = 0;
    while (this.sent < this.total) {
      let tx;
      try {
        tx = ep.getTxBuffer();
      } catch {
        break;
      }
      const len = this.#sendLen();
      fillMessage(tx.data, this.sent, len);
      tx.send(len);
      this.sent++;
      n++;
    }
    return n;
  }

  #peekLen: number | undefined;

  /** Send one message with the copying trySend; false when no buffer. */
  trySendOne(ep: RpmsgEndpoint): boolean {
    if (this.sent >= this.total) return false;
    try {
      const len = this.#peekLen ??= this.#sendLen();
      fillMessage(this.#scratch, this.sent, len);
      ep.trySend(this.#scratch.subarray(0, len));
      this.#peekLen = undefined;
      this.sent++;
      return true;
    } catch {
      return false;
    }
  }

  /** Check one received message. */
  onMessage = (data: Uint8Array): void => {
    const seq = this.received++;
    const len = this.#recvLen();
    if (this.errors.length > 5) return;
    if (data.length !== len) {
      this.errors.push(`message ${seq}: length ${data.length}, expected ${len}`);
      return;
    }
    fillMessage(this.#expect, seq, len);
    for (let j = 0; j < len; j++) {
      if (data[j] !== this.#expect[j]) {
        this.errors.push(`message ${seq}: byte ${j} is ${data[j]}, expected ${this.#expect[j]}`);
        return;
      }
    }
  };
}
