/**
 * Requests from the Linux guest to the platform host (the demo process),
 * for things a domU cannot do itself, such as serving its root filesystem
 * over HTTP from the host. Sent with `ctx.publish`, answered (optionally)
 * through the domain's control channel (`ctx.onControl`).
 *
 * Wire shape:
 * - request (guest -> host, on the trace bus): `{ type: "linux.request", id, action, ...data }`
 * - answer (host -> guest, control message): `{ type: "linux.response", id, ok, url?, error? }`
 *
 * @module
 */
import type { DomainContext } from "@v8r/xen-dom0less";

/** `type` of a request event published by the guest. */
export const LINUX_REQUEST = "linux.request";
/** `type` of the control message that answers a request. */
export const LINUX_RESPONSE = "linux.response";

/** Actions the guest asks for. `start-web-server` carries `root` (guest path) and `command` (`nginx` or `httpd`). */
export type LinuxRequestAction = "start-web-server";

/** The fields of a request. */
export interface LinuxRequestFields {
  /** Matches the answer. */
  readonly id: number;
  /** What is asked for. */
  readonly action: LinuxRequestAction;
  /** Action-specific fields. */
  readonly [key: string]: unknown;
}

/** A request event as published on the platform trace bus. */
export interface LinuxRequest extends LinuxRequestFields {
  /** Always {@link LINUX_REQUEST}. */
  readonly type: typeof LINUX_REQUEST;
}

/** The host's answer, delivered as a control message. */
export interface LinuxResponse {
  /** Always {@link LINUX_RESPONSE}. */
  readonly type: typeof LINUX_RESPONSE;
  /** The request's id. */
  readonly id: number;
  /** Whether the host did it. */
  readonly ok: boolean;
  /** For `start-web-server`: where the page is served. */
  readonly url?: string;
  /** Why it failed. */
  readonly error?: string;
}

let nextId = 1;

function isResponse(m: unknown, id: number): m is LinuxResponse {
  if (m === null || typeof m !== "object") return false;
  const r = m as Partial<LinuxResponse>;
  return r.type === LINUX_RESPONSE && r.id === id && typeof r.ok === "boolean";
}

/**
 * Publish a request and wait up to `timeoutMs` (on the domain clock) for the
 * host's answer; resolves with `undefined` when none came (a host that does
 * not answer requests is allowed).
 *
 * @example
 * ```ts
 * const answer = await requestHost(ctx, "start-web-server", { root: "/usr/share/nginx/html" }, 2000);
 * if (answer?.ok) console.log(answer.url);
 * ```
 */
export function requestHost(
  ctx: Pick<DomainContext, "publish" | "onControl" | "clock">,
  action: LinuxRequestAction,
  data: Record<string, unknown>,
  timeoutMs: number,
): Promise<LinuxResponse | undefined> {
  const id = nextId++;
  return new Promise((resolve) => {
    const off = ctx.onControl((m) => {
      if (!isResponse(m, id)) return;
      finish(m);
    });
    const timer = ctx.clock.setTimeout(() => finish(undefined), timeoutMs);
    function finish(r: LinuxResponse | undefined): void {
      off();
      timer.cancel();
      resolve(r);
    }
    ctx.publish<LinuxRequest>({ ...data, type: LINUX_REQUEST, id, action });
  });
}
