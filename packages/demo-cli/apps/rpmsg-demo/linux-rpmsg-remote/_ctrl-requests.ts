/**
 * Internal: the typed control path into rpmsg-remote. A `rpmsg-demo.ctrl`
 * control message from the host is sent to Zephyr over `rpmsg-ctrl`, as
 * the `rpmsg-ctrl` console command does, and the outcome is published as a
 * `rpmsg-demo.ctrl-result` trace event.
 */
import { describeError } from "@v8r/fvp-core";
import { CTRL_RESULT, type CtrlOutcome, type CtrlResultEvent, isCtrlRequest } from "../protocol/mod.ts";
import type { RpmsgRemoteApp } from "./rpmsg-remote-app.ts";

function failure(id: number, err: unknown): CtrlOutcome {
  const code = typeof err === "object" && err !== null && typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "EIO";
  return { id, error: { code, message: describeError(err).error } };
}

/** Answer `rpmsg-demo.ctrl` control messages for `app`; returns the unsubscribe function. */
export function serveCtrlRequests(app: RpmsgRemoteApp): () => void {
  const { ctx } = app.linux;
  const answer = (outcome: CtrlOutcome): void => {
    try {
      ctx.publish<CtrlResultEvent>({ type: CTRL_RESULT, ...outcome });
    } catch {
      // the trace bus is best effort
    }
  };
  return ctx.onControl((message) => {
    if (!isCtrlRequest(message)) return;
    const svc = app.service;
    if (svc === undefined) {
      answer({ id: message.id, error: { code: "ENOTCONN", message: "[rpmsg-demo] rpmsg-ctrl: the rpmsg-demo service is not running" } });
      return;
    }
    svc.ctrl.request(message.command, message.timeoutMs).then(
      (reply) => answer({ id: message.id, reply }),
      (err: unknown) => answer(failure(message.id, err)),
    );
  });
}
