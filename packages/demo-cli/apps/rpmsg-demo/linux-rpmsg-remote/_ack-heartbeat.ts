/**
 * rpmsg-remote's side of the link's liveness protocol (PROTOCOL.md,
 * "Liveness"): the `ack` command on `rpmsg-ctrl`, which tells the host which
 * samples arrived and how many acks in a row it left unanswered. Sent every
 * `LIVENESS.heartbeatMs` and after every pass that accepted samples.
 */
import type { Clock, TimerHandle } from "@v8r/fvp-core";
import { LinuxError } from "@v8r/linux-shim";
import { LIVENESS } from "../protocol/mod.ts";
import type { RpmsgCtrlClient } from "./rpmsg-ctrl-client.ts";
import type { StatusHistory } from "./status-history.ts";

/** What the heartbeat needs from the service. */
export interface AckHeartbeatOptions {
  readonly clock: Clock;
  readonly ctrl: RpmsgCtrlClient;
  readonly history: StatusHistory;
  /** Whether `rpmsg-ctrl` is bound now (acks are sent only then). */
  readonly canSend: () => boolean;
  /** Called when the number of unanswered acks changes. */
  readonly changed: () => void;
}

/** The ack heartbeat of one service. */
export class AckHeartbeat {
  /** Acks sent. */
  sent = 0;
  /** Acks the host did not answer in time. */
  missed = 0;
  /** Acks in a row, just before now, that got no reply in time (the next ack's `miss`). */
  miss = 0;
  readonly #o: AckHeartbeatOptions;
  readonly #timer: TimerHandle;
  #due = false;

  /** Start the periodic heartbeat. */
  constructor(options: AckHeartbeatOptions) {
    this.#o = options;
    this.#timer = options.clock.setInterval(() => this.send(), LIVENESS.heartbeatMs);
  }

  /** Samples were accepted (or set aside): acknowledge at the end of this pass. */
  markDue(): void {
    this.#due = true;
  }

  /** Send the ack now if one is due. */
  flush(): void {
    if (this.#due) this.send();
  }

  /** The host reset the link or bound it again: its silence so far no longer counts. */
  reset(): void {
    if (this.miss === 0) return;
    this.miss = 0;
    this.#o.changed();
  }

  /** Send an ack: every sample of the latest boot before `next` arrived. */
  send(): void {
    if (!this.#o.canSend()) return;
    this.#due = false;
    const last = this.#o.history.boots.at(-1);
    const command = { cmd: "ack", boot: last ? Number.parseInt(last.boot, 16) : 0, next: last ? last.lastSeq + 1 : 0, miss: this.miss } as const;
    this.sent++;
    this.#o.ctrl.request(command, LIVENESS.replyTimeoutMs).then(
      () => this.reset(),
      (err: unknown) => {
        if (!(err instanceof LinuxError) || err.code !== "ETIMEDOUT") return; // cancelled by a reset, or not sent: not the host's silence
        this.miss++;
        this.missed++;
        this.#o.changed();
      },
    );
  }

  /** Stop the periodic heartbeat. */
  stop(): void {
    this.#timer.cancel();
  }
}
