/**
 * The client side of the rpmsg-demo protocol's `rpmsg-ctrl` endpoint:
 * Linux sends `{"id":n,"cmd":...}` commands and Zephyr answers each with
 * one reply carrying the same `id`.
 *
 * @module
 */
import { decodePayloadText } from "@v8r/openamp-wasm";
import type { Clock, TimerHandle } from "@v8r/fvp-core";
import { LinuxError } from "./linux-error.ts";

/** Largest command or reply in bytes (the payload of a 512-byte buffer). */
export const MAX_CTRL_BYTES = 496;
/** Default time to wait for a reply, ms. */
export const DEFAULT_CTRL_TIMEOUT_MS = 2000;

/** A command of the protocol (without its `id`). */
export type CtrlCommand = { readonly cmd: "ping" } | { readonly cmd: "period"; readonly ms: number } | { readonly cmd: "sample" };

/** A reply as received: `ok` with command-specific fields (`t`, `per`, `seq`), or `ok: false` with `err`. */
export interface CtrlReply {
  /** The command's id (`null` when Zephyr could not read it). */
  readonly id: number | null;
  /** Whether the command was done. */
  readonly ok: boolean;
  /** Reason of a failure. */
  readonly err?: string;
  /** `ping`: Zephyr uptime in ms. */
  readonly t?: number;
  /** `period`: the new sampling period in ms. */
  readonly per?: number;
  /** `sample`: the `seq` of the sample taken. */
  readonly seq?: number;
  /** Any other fields the sender added. */
  readonly [key: string]: unknown;
}

/** Options of {@link RpmsgCtrlClient}. */
export interface RpmsgCtrlClientOptions {
  /** Send one message on the `rpmsg-ctrl` endpoint; may throw or reject (the request then fails with EIO). */
  send(data: Uint8Array): unknown;
  /** The domain clock, for timeouts. */
  readonly clock: Clock;
  /** Default reply timeout, ms (default 2000). */
  readonly timeoutMs?: number;
}

type Pending = { resolve(r: CtrlReply): void; reject(e: unknown): void; timer: TimerHandle };

const encoder = new TextEncoder();

/**
 * Sends commands and matches replies by `id`. Feed every message received on
 * `rpmsg-ctrl` to {@link RpmsgCtrlClient.handleMessage}.
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
    if (typeof options?.send !== "function") throw new TypeError("[linux-shim] RpmsgCtrlClient needs a send function");
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
   * Rejects with ETIMEDOUT when no reply comes in time, EIO when sending
   * failed, ECANCELED when {@link RpmsgCtrlClient.cancelAll} is called.
   */
  request(command: CtrlCommand, timeoutMs = this.#timeoutMs): Promise<CtrlReply> {
    checkCommand(command);
    const id = this.#nextId++;
    const bytes = encoder.encode(JSON.stringify({ id, ...command }));
    return new Promise<CtrlReply>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(id);
        reject(new LinuxError("ETIMEDOUT", `[linux-shim] rpmsg-ctrl ${command.cmd} (id ${id}): no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      const fail = (cause: unknown): void => {
        if (!this.#pending.delete(id)) return;
        timer.cancel();
        const why = cause instanceof Error ? cause.message : String(cause);
        reject(new LinuxError("EIO", `[linux-shim] rpmsg-ctrl ${command.cmd} (id ${id}): sending failed: ${why}`, { cause }));
      };
      try {
        const sent = this.#send(bytes);
        if (sent instanceof Promise) sent.catch(fail);
      } catch (err) {
        fail(err);
      }
    });
  }

  /** `{"cmd":"ping"}`: resolves with `{ ok, t }`. */
  ping(timeoutMs?: number): Promise<CtrlReply> {
    return this.request({ cmd: "ping" }, timeoutMs);
  }

  /** `{"cmd":"period","ms":ms}`: set the sampling period (Zephyr accepts 100..60000). */
  period(ms: number, timeoutMs?: number): Promise<CtrlReply> {
    return this.request({ cmd: "period", ms }, timeoutMs);
  }

  /** `{"cmd":"sample"}`: take and send one sample now; resolves with `{ ok, seq }`. */
  sample(timeoutMs?: number): Promise<CtrlReply> {
    return this.request({ cmd: "sample" }, timeoutMs);
  }

  /** Match a received message to its request; returns whether it was a reply to one. Never throws on bad input. */
  handleMessage(data: Uint8Array): boolean {
    const reply = parseReply(data);
    const waiting = reply && typeof reply.id === "number" ? this.#pending.get(reply.id) : undefined;
    if (!reply || !waiting || typeof reply.id !== "number") {
      this.#unmatched++;
      return false;
    }
    this.#pending.delete(reply.id);
    waiting.timer.cancel();
    waiting.resolve(reply);
    return true;
  }

  /** Fail every waiting request with ECANCELED (e.g. the link went down). */
  cancelAll(reason: string): void {
    for (const [id, p] of [...this.#pending]) {
      this.#pending.delete(id);
      p.timer.cancel();
      p.reject(new LinuxError("ECANCELED", `[linux-shim] rpmsg-ctrl request ${id} cancelled: ${reason}`));
    }
  }
}

function checkCommand(command: CtrlCommand): void {
  const cmd = (command as { cmd?: unknown } | undefined)?.cmd;
  if (cmd !== "ping" && cmd !== "period" && cmd !== "sample") {
    throw new TypeError(`[linux-shim] rpmsg-ctrl: unknown command ${JSON.stringify(cmd)} (expected ping, period or sample)`);
  }
  if (command.cmd === "period" && !Number.isInteger(command.ms)) {
    throw new TypeError(`[linux-shim] rpmsg-ctrl period: ms must be an integer, got ${String(command.ms)}`);
  }
}

function parseReply(data: Uint8Array): CtrlReply | undefined {
  if (data.byteLength === 0 || data.byteLength > MAX_CTRL_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(decodePayloadText(data, { fatal: false }));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const r = value as Record<string, unknown>;
    if (typeof r.ok !== "boolean" || !(r.id === null || typeof r.id === "number")) return undefined;
    return r as CtrlReply;
  } catch {
    return undefined;
  }
}
