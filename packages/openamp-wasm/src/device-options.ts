/** Options, clocks and counters of an {@link RpmsgDevice}. */
import type { ResourceTableLayout } from "./resource-table.ts";
import type { ShmInput } from "./shm.ts";
import type { StaticVringsLayout } from "./static-vrings-layout.ts";

/** A one-shot timer of a {@link Clock}. */
export interface TimerHandle {
  /** Stop the timer if it has not fired; calling it again does nothing. */
  cancel(): void;
}

/**
 * Time and one-shot timers, in milliseconds: the one clock shape of v8r.
 * fvp-core's platform `Clock` (virtual or real time) has it and more, so a
 * guest passes its `ctx.clock` as is; inject a virtual clock in tests.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Run `cb` once after `delayMs` milliseconds. */
  setTimeout(cb: () => void, delayMs: number): TimerHandle;
  /**
   * Optional: keep simulated time still while `work` (real work such as
   * instantiating a module) is pending, started when the work held before it
   * is done (fvp-core's Clock fits). Without it, the work runs at once.
   */
  hold?<T>(work: () => Promise<T>): Promise<T>;
}

/** The default clock: performance.now() and the host's setTimeout. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (cb, delayMs) => {
    const id = setTimeout(cb, delayMs);
    return { cancel: () => clearTimeout(id) };
  },
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
  clock?: Clock;
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
