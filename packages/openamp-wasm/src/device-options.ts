/** Options, clocks and counters of an {@link RpmsgDevice}. */
import type { ResourceTableLayout } from "./resource-table.ts";
import type { ShmInput } from "./shm.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/** Time source and timer; inject a virtual clock in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolve after about ms milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** A clock with a setTimeout instead of sleep (the shape of fvp-core's Clock). */
export interface TimerClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Run cb once after ms milliseconds. */
  setTimeout(cb: () => void, ms: number): unknown;
}

/** The default clock: performance.now() and setTimeout. */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Options of {@link OpenAmp.createRpmsgDevice}. */
export interface RpmsgDeviceOptions {
  /** "host" = virtio driver (owns the buffers), "remote" = virtio device. */
  role: "host" | "remote";
  /** Where the link lives in shared memory. */
  layout: StaticVringsLayout | ResourceTableLayout;
  /** The shared memory. */
  shm: ShmInput;
  /** Kick the peer: vring index (static vrings) or notify id (resource table). */
  notify(id: number): void;
  /** Physical address of shared-memory offset 0, as descriptors carry it (default: `shm.base`, else 0). */
  physBase?: number;
  /** Buffer sizes per direction, header included (default: the layout's, 512). */
  bufferSizes?: { hostToRemote?: number; remoteToHost?: number };
  /** Called for a name announced by the peer that no local endpoint has. */
  onNameService?(name: string, addr: number): void;
  /** Receives the C library's log lines (libmetal levels: 3 error ... 7 debug); default: dropped. */
  onLog?(level: number, message: string): void;
  /** Receives exceptions thrown by callbacks (default: rethrown asynchronously). */
  onError?(err: unknown): void;
  /** Clock used for timeouts and polling (default: real time). */
  clock?: Clock | TimerClock;
  /** Poll interval while waiting for buffers or the link, in ms (default 1). */
  pollIntervalMs?: number;
  /** Default send() timeout in ms (default 15000, upstream's value). */
  sendTimeoutMs?: number;
}

/** Counters of a device. */
export interface RpmsgStats {
  /** Messages sent. */
  txMessages: number;
  /** Payload bytes sent. */
  txBytes: number;
  /** Messages received (name-service messages included). */
  rxMessages: number;
  /** Payload bytes received. */
  rxBytes: number;
  /** Notifications sent to the peer. */
  kicks: number;
  /** notified() calls. */
  notifications: number;
  /** Malformed entries (rings, headers, NS messages) dropped. */
  droppedMalformed: number;
  /** Messages for addresses with no endpoint. */
  droppedNoEndpoint: number;
  /** Transmit buffers available right now. */
  freeTxBuffers: number;
  /** Times the remote saw the host re-initialise. */
  peerResets: number;
  /** Shared-memory accesses refused by the accessor (should stay 0). */
  ioFaults: number;
  /** Whether the link is up. */
  linkUp: boolean;
}
