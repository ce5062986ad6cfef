/**
 * The numbers of the rpmsg-demo protocol, each defined once: the protocol
 * version, the message budget, the sampling period range and the link
 * defaults both apps start from.
 *
 * @module
 */

/** The protocol version this code writes (`v` of a status sample). */
export const PROTOCOL_VERSION = 1;

/** RPMsg buffer size both sides use, header included. */
export const RPMSG_BUFFER_BYTES = 512;

/** Largest message on either endpoint: the payload of one 512-byte RPMsg buffer (16-byte header). */
export const MAX_PAYLOAD_BYTES = RPMSG_BUFFER_BYTES - 16;

/** The sampling periods a guest accepts (bootargs `period_ms=`, the `period` command, `--period`), ms. */
export const PERIOD_RANGE_MS = { min: 100, max: 60_000 } as const;

/** The sampling period when nothing sets one, ms. */
export const DEFAULT_PERIOD_MS = 1000;

/** Endpoint of the status samples (Zephyr -> Linux). */
export const DEMO_ENDPOINT = "rpmsg-demo";

/** Endpoint of the commands (Linux -> Zephyr) and their replies. */
export const CTRL_ENDPOINT = "rpmsg-ctrl";

/** Where the link lives when bootargs say nothing else: the static shm `xen,id` and the static event channel port. */
export const LINK_DEFAULTS = { shmId: "rpmsg-shm", port: 0xa } as const;

/** Whether `ms` is a sampling period the protocol allows. */
export function isValidPeriod(ms: unknown): ms is number {
  return typeof ms === "number" && Number.isInteger(ms) && ms >= PERIOD_RANGE_MS.min && ms <= PERIOD_RANGE_MS.max;
}

/**
 * The link's liveness protocol (PROTOCOL.md, "Liveness"), ms. It does not
 * depend on the sampling period: rpmsg-remote acknowledges and heartbeats
 * on `rpmsg-ctrl` with the `ack` command, so both sides hear from each other
 * every `heartbeatMs` whatever the period.
 */
export const LIVENESS = {
  /** rpmsg-remote sends an `ack` at least this often while `rpmsg-ctrl` is bound (and at once after it accepted samples). */
  heartbeatMs: 250,
  /** rpmsg-remote counts an `ack` with no reply within this long as missed (the next `ack` says so in `miss`). */
  replyTimeoutMs: 750,
  /**
   * rpmsg-host re-initialises the link when it has heard nothing on
   * `rpmsg-ctrl` for this long while bound, when a sample it sent is still
   * not acknowledged this long after, or when the link stays unbound this
   * long after a (re-)initialisation (then the wait doubles, up to `maxRelinkMs`).
   */
  deadAfterMs: 1000,
  /** Longest wait between two re-initialisations while the remote stays silent. */
  maxRelinkMs: 2000,
  /**
   * rpmsg-remote shows the host as not answering when the endpoints it
   * announced are still not bound this long after (the host died or hangs
   * before binding them; a live host binds them within about a second).
   */
  bindWithinMs: 2000,
} as const;
