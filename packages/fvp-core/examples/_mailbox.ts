// A one-slot mailbox in a shared-memory window, used by the example guests:
// [seq: u32][len: u32][text: up to 120 bytes]. The writer fills the text and
// length, then publishes with a release store of seq; the reader sees a new
// seq with an acquire load, and then the text is guaranteed to be there.
import type { MemoryWindow } from "../src/mod.ts";

const SEQ = 0;
const LEN = 4;
const TEXT = 8;
/** Bytes one mailbox occupies. */
export const MAILBOX_SIZE = 128;

/** Write `text` and publish it as message number `seq`. */
export function post(box: MemoryWindow, seq: number, text: string): void {
  const bytes = new TextEncoder().encode(text).subarray(0, MAILBOX_SIZE - TEXT);
  box.copyIn(TEXT, bytes);
  box.write32(LEN, bytes.length);
  box.storeRelease32(SEQ, seq);
}

/** The newest message, or undefined when its seq is not newer than `lastSeen`. */
export function take(box: MemoryWindow, lastSeen: number): { seq: number; text: string } | undefined {
  const seq = box.loadAcquire32(SEQ);
  if (seq === lastSeen) return undefined;
  const len = Math.min(box.read32(LEN), MAILBOX_SIZE - TEXT);
  return { seq, text: new TextDecoder().decode(box.copyOut(TEXT, len)) };
}
