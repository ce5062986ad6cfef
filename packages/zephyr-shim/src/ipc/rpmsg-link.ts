/**
 * The narrow view of an RPMsg device that the IPC backend needs. The
 * default implementation drives `@v8r/openamp-wasm`; tests may inject
 * another one (`RpmsgStaticVringsConfig.linkFactory`).
 *
 * @module
 */
import type { MemoryWindow } from "@v8r/fvp-core";
import type { Clock } from "@v8r/openamp-wasm";

/** `RPMSG_ADDR_ANY`. */
export const RPMSG_ADDR_ANY = 0xffffffff;

/** A TX buffer lent by a link endpoint. */
export interface LinkTxBuffer {
  /** Payload bytes in shared memory. */
  readonly data: Uint8Array;
  /** Capacity. */
  readonly size: number;
}

/** A received buffer kept past its callback (`rpmsg_hold_rx_buffer`). */
export interface LinkHeldBuffer {
  /** Give it back to the peer (`rpmsg_release_rx_buffer`). */
  release(): void;
}

/** An RPMsg endpoint on a link. */
export interface LinkEndpoint {
  /** Local address. */
  readonly addr: number;
  /** Send without waiting; throws a `LinkError` (`code` "ENOMEM" when no buffer is free, "ENOTCONN" while the endpoint has no destination). */
  trySend(data: Uint8Array): number;
  /** Send, waiting up to `timeoutMs` (Infinity: no limit) for a buffer; fails at once with ENOTCONN while the endpoint has no destination. */
  send(data: Uint8Array, timeoutMs: number): Promise<number>;
  /** Lend a TX buffer, waiting up to `timeoutMs` (0: not at all, Infinity: no limit); rejects with a LinkError ENOMEM. */
  getTxBuffer(timeoutMs: number): Promise<LinkTxBuffer>;
  /** Inside `onMessage` only: keep the buffer being delivered until the returned handle is released. */
  hold(): LinkHeldBuffer;
  /** Send the first `len` bytes of a lent buffer. */
  sendNoCopy(buffer: LinkTxBuffer, len: number): number;
  /** Destroy the endpoint (announces NS destroy when the link allows it). */
  destroy(): void;
}

/** Options of {@link RpmsgLink.createEndpoint}. */
export interface LinkEndpointOptions {
  /** Name (announced by a remote, matched by a host). */
  readonly name: string;
  /** Destination address; `RPMSG_ADDR_ANY` (default) lets the first message bind it. */
  readonly dst?: number;
  /** A message arrived (zero-copy view, valid during the call). */
  onMessage(data: Uint8Array, src: number): void;
  /** The peer (re-)announced this endpoint's name: the destination changed to `dst`. */
  onBound?(dst: number): void;
  /** The peer destroyed its endpoint or the link was reset. */
  onUnbound?(): void;
}

/** An RPMsg device over a static-vrings region. */
export interface RpmsgLink {
  /** Resolves when the link is usable (remote: the host wrote DRIVER_OK). */
  readonly ready: Promise<void>;
  /** Process incoming work (call on every doorbell). */
  notified(): void;
  /** Create an endpoint. */
  createEndpoint(options: LinkEndpointOptions): LinkEndpoint;
  /** Largest payload of one message. */
  readonly maxPayload: number;
  /** Counters. */
  stats(): Readonly<Record<string, number>>;
  /** TX buffers: `total` the host can have in flight, `free` those not waiting for the peer now. */
  txBuffers(): { free: number; total: number };
  /** Release the device. */
  dispose(): void;
}

/** What is needed to create a link. */
export interface LinkOptions {
  /** `"host"` (virtio driver) or `"remote"` (virtio device). */
  readonly role: "host" | "remote";
  /** The static shared memory region holding the vrings. */
  readonly shm: MemoryWindow;
  /** Guest physical address of the region (descriptor addresses). */
  readonly physBase: number;
  /** Buffer size, default 512. */
  readonly bufferSize: number;
  /** Kick the peer. */
  notify(): void;
  /** A name service announcement for a name with no local endpoint. */
  onNameService(name: string, addr: number): void;
  /** The guest's clock (sends that wait for buffers wait on it). */
  readonly clock: Clock;
  /** An exception thrown by a callback the link ran. */
  onError(error: unknown): void;
}

/** Creates links; the default uses openamp-wasm. */
export type LinkFactory = (options: LinkOptions) => Promise<RpmsgLink>;

/** A failed link operation, with an errno-style `code` and the transport's own code in `cause`. */
export class LinkError extends Error {
  /** `"ENOMEM"` (no buffer), `"EMSGSIZE"`, `"ENOTCONN"`, `"EIO"`. */
  readonly code: "ENOMEM" | "EMSGSIZE" | "ENOTCONN" | "EIO";
  /** Build one. */
  constructor(code: LinkError["code"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LinkError";
    this.code = code;
  }
}
