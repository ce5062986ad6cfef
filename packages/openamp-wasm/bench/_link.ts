/**
 * What the benchmark drives on each side, implemented by the plain-JS ring
 * (_plain-link.ts) and by v8r (_v8r-link.ts), so both run the same traffic
 * and the same wait protocol (_wait.ts).
 */

/** Which side of the link. */
export type LinkSide = "host" | "remote";

/** Receives a message: a view valid during the call, and the sender's address. */
export type OnMessage = (data: Uint8Array, src: number) => void;

/** One side of a link between two Workers. */
export interface Link {
  /** Open endpoint i (both sides open the same ones); its messages go to onMessage. */
  open(i: number, onMessage: OnMessage): void;
  /** Whether every opened endpoint can send (bound). */
  ready(): boolean;
  /** Send one message on endpoint i; false when no buffer is free. */
  send(i: number, payload: Uint8Array): boolean;
  /** Deliver every pending message with the peer's kicks suppressed; returns how many. */
  poll(): number;
  /** Ask for kicks again, then re-check: true when nothing is pending (safe to sleep). */
  idle(): boolean;
  /** Release the side. */
  dispose(): void;
}
