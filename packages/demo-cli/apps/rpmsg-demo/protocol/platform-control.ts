/**
 * The typed control path from the host (the demo, a dashboard) to an
 * rpmsg-demo app, beside the console commands people type: the host posts
 * a {@link CtrlRequestMessage} to the domain (`xen.post` -> `ctx.onControl`)
 * and the app answers with a `rpmsg-demo.ctrl-result` event on the
 * platform trace bus ({@link CtrlResultEvent}). The Linux app sends the command to Zephyr over
 * `rpmsg-ctrl` as `rpmsg-ctrl ...` on its console does; the Zephyr app
 * runs it itself.
 *
 * @module
 */
import { ctrlCommandSpec, type CtrlCommand, type CtrlReply } from "./ctrl-schema.ts";

/** `type` of a control request. */
export const CTRL_REQUEST = "rpmsg-demo.ctrl";

/** `type` of the trace event that answers it. */
export const CTRL_RESULT = "rpmsg-demo.ctrl-result";

/** A control request: run `command`; the answer carries the same `id`. */
export interface CtrlRequestMessage {
  /** Always {@link CTRL_REQUEST}. */
  readonly type: typeof CTRL_REQUEST;
  /** Chosen by the sender to match the answer. */
  readonly id: number;
  /** The command. */
  readonly command: CtrlCommand;
  /** How long the app waits for Zephyr's reply, ms (Linux app; default its rpmsg-ctrl timeout). */
  readonly timeoutMs?: number;
}

/** A failure with a machine-readable code (e.g. `ETIMEDOUT`, `ENOTCONN`) and a message. */
export interface CodedFailure {
  /** Stable code. */
  readonly code: string;
  /** What was being done and what went wrong. */
  readonly message: string;
}

/** The answer to a request: Zephyr's reply (which may itself be `ok: false`), or why there is none. */
export type CtrlOutcome = { readonly id: number; readonly reply: CtrlReply } | { readonly id: number; readonly error: CodedFailure };

/** An rpmsg-demo app's answer to a {@link CtrlRequestMessage}, as it publishes it on the platform trace bus. */
export type CtrlResultEvent = CtrlOutcome & { readonly type: typeof CTRL_RESULT };

/** Whether a control message is a well-formed {@link CtrlRequestMessage}. */
export function isCtrlRequest(message: unknown): message is CtrlRequestMessage {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m["type"] !== CTRL_REQUEST || typeof m["id"] !== "number" || !Number.isSafeInteger(m["id"])) return false;
  if (m["timeoutMs"] !== undefined && !(typeof m["timeoutMs"] === "number" && m["timeoutMs"] > 0)) return false;
  const command = m["command"];
  if (typeof command !== "object" || command === null) return false;
  const spec = ctrlCommandSpec((command as Record<string, unknown>)["cmd"]);
  return spec !== undefined && spec.link !== true && spec.args.every((a) => Number.isInteger((command as Record<string, unknown>)[a.key]));
}
