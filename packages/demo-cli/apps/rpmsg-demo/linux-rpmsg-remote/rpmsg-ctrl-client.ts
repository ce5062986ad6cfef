/**
 * The client side of the protocol's `rpmsg-ctrl` endpoint: Linux sends
 * commands and Zephyr answers each with one reply carrying the same `id`.
 * Commands and replies go through the protocol's one codec.
 *
 * @module
 */
import type { Clock, TimerHandle } from "@v8r/fvp-core";
import { LinuxError } from "@v8r/linux-shim";
import { type CtrlCommand, type CtrlCommandName, type CtrlReply, encodeCommand, parseReply, replyProblem } from "../protocol/mod.ts";

/** Default time to wait for a reply, ms. */
export const DEFAULT_CTRL_TIMEOUT_MS = 2000;

/** Options of {@link RpmsgCtrlClient}. */
export interface RpmsgCtrlClientOptions {
  /** Send one message on the `rpmsg-ctrl` endpoint; may throw or reject (the request then fails with EIO). */
  send(data: Uint8Array): unknown;
  /** The domain clock, for timeouts. */
  readonly clock: Clock;
  /** Default reply timeout, ms (default 2000). */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly cmd: CtrlCommandName;
  resolve(r: CtrlReply): void;
  reject(e: unknown): void;
  readonly timer: TimerHandle;
}

/**
 * Sends commands and matches replies by `id`. Feed every message received on
 * `rpmsg-ctrl` to {@link RpmsgCtrlClient.handleMessage}. Failures are
 * `LinuxError`s: ETIMEDOUT (no reply in time), EIO (sending failed),
 * ECANCELED ({@link RpmsgCtrlClient.cancelAll}), EPROTO (a reply without the
 * fields its command promises).
 *
 * @example
 * ```ts
 * const ctrl = new RpmsgCtrlClient({ send: (d) => ept.trySend(d), clock: ctx.clock });
 * // in the endpoint's onMessage: ctrl.handleMessage(data);
 * const reply = await ctrl.request({ cmd: "period", ms: 500 }); // { id: 1, ok: true, per: 500 }
 * ```
 */
export class RpmsgCtrlClient {
  readonly #send: (data: Uint8Array) => unknown;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #unmatched = 0;

  /** A client over a send function. */
  constructor(options: RpmsgCtrlClientOptions) {
    if (typeof options?.send !== "function") throw new TypeError("[rpmsg-demo] RpmsgCtrlClient needs a send function");
    this.#send = options.send;
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_CTRL_TIMEOUT_MS;
  }

  /** Replies that matched no waiting request, or could not be read. */
  get unmatched(): number {
    return this.#unmatched;
  }

  /** Requests waiting for their reply. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Send a command and resolve with its reply (also when `ok` is false).
   * Throws a TypeError at once for a command the protocol does not have.
   */
  request<N extends CtrlCommandName>(command: CtrlCommand<N>, timeoutMs: number = this.#timeoutMs): Promise<CtrlReply<N>> {
    const id = this.#nextId;
    const bytes = encodeCommand(id, command);
    this.#nextId++;
    const cmd = command.cmd;
    return new Promise<CtrlReply<N>>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(id);
        reject(new LinuxError("ETIMEDOUT", `[rpmsg-demo] rpmsg-ctrl ${cmd} (id ${id}): no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { cmd, resolve: resolve as (r: CtrlReply) => void, reject, timer });
      const fail = (cause: unknown): void => {
        if (!this.#pending.delete(id)) return;
        timer.cancel();
        const why = cause instanceof Error ? cause.message : String(cause);
        reject(new LinuxError("EIO", `[rpmsg-demo] rpmsg-ctrl ${cmd} (id ${id}): sending failed: ${why}`, { cause }));
      };
      try {
        const sent = this.#send(bytes);
        if (sent instanceof Promise) sent.catch(fail);
      } catch (err) {
        fail(err);
      }
    });
  }

  /** `ping`: resolves with `{ ok, t }` (Zephyr's uptime). */
  ping(timeoutMs?: number): Promise<CtrlReply<"ping">> {
    return this.request({ cmd: "ping" }, timeoutMs);
  }

  /** `period`: set the sampling period (Zephyr accepts the protocol's period range). */
  period(ms: number, timeoutMs?: number): Promise<CtrlReply<"period">> {
    return this.request({ cmd: "period", ms }, timeoutMs);
  }

  /** `sample`: take and send one sample now; resolves with `{ ok, seq }`. */
  sample(timeoutMs?: number): Promise<CtrlReply<"sample">> {
    return this.request({ cmd: "sample" }, timeoutMs);
  }

  /** Match a received message to its request; returns whether it was a reply to one. Never throws on bad input. */
  handleMessage(data: Uint8Array): boolean {
    const reply = parseReply(data);
    const id = reply?.id;
    const waiting = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (reply === undefined || waiting === undefined || typeof id !== "number") {
      this.#unmatched++;
      return false;
    }
    this.#pending.delete(id);
    waiting.timer.cancel();
    const problem = replyProblem(waiting.cmd, reply);
    if (problem === undefined) waiting.resolve(reply);
    else waiting.reject(new LinuxError("EPROTO", `[rpmsg-demo] rpmsg-ctrl ${waiting.cmd} (id ${id}): ${problem}`));
    return true;
  }

  /** Fail every waiting request with ECANCELED (e.g. the link went down). */
  cancelAll(reason: string): void {
    for (const [id, p] of [...this.#pending]) {
      this.#pending.delete(id);
      p.timer.cancel();
      p.reject(new LinuxError("ECANCELED", `[rpmsg-demo] rpmsg-ctrl request ${id} cancelled: ${reason}`));
    }
  }
}
