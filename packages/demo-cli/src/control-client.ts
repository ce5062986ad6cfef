/**
 * The client side of the control endpoint: what `v8r-demo xl ...` runs.
 *
 * @module
 */
import { controlStateDir, listControlStates, processAlive, type ControlStateLocation, type FoundControlState } from "./control-state.ts";
import type { XlAction } from "./control-endpoint.ts";
import { formatXlList, isDomainInfo } from "./xl-list.ts";

/** Why a control request failed. */
export const ControlErrorCode = {
  /** No state file: no demo is running (for this user), or none with the pid asked for. */
  noDemo: "V8R_DEMO_NO_DEMO",
  /** Several demos run and no `--demo PID` says which one. */
  ambiguous: "V8R_DEMO_AMBIGUOUS",
  /** A state file exists but its demo does not answer. */
  stale: "V8R_DEMO_STALE",
  /** The domain named does not exist. */
  noSuchDomain: "V8R_DEMO_NO_SUCH_DOMAIN",
  /** The demo answered with an error. */
  failed: "V8R_DEMO_CONTROL_FAILED",
} as const;
/** One of {@link ControlErrorCode}. */
export type ControlErrorCode = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

/** A control request that failed; `code` says why. */
export class ControlError extends Error {
  /** Stable code callers can test for. */
  readonly code: ControlErrorCode;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: ControlErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ControlError";
    this.code = code;
  }
}

/** An `xl` request; `demo` is the process id of the demo to ask (needed when several run). */
export type XlRequest = (
  | { readonly action: "list" }
  | { readonly action: XlAction; readonly domain: string }
  | { readonly action: "create"; readonly file: string }
) & { readonly demo?: number | undefined };

/** Options of {@link runXl}: where the state files are, and a timeout. */
export interface XlOptions extends ControlStateLocation {
  /** Request timeout in ms; default 10000 (a shutdown waits for the guest). */
  readonly timeoutMs?: number;
}

/**
 * The running demo a request goes to: the one with pid `demo` when given,
 * else the only one.
 *
 * @throws ControlError `noDemo` when there is none (or none with that pid), `ambiguous` when several run and `demo` is absent
 */
export async function findDemo(action: string, demo: number | undefined, location: ControlStateLocation = {}): Promise<FoundControlState> {
  const running = await listControlStates(location);
  const where = location.stateFile ?? `${controlStateDir(location)}/demo-*.json`;
  const describe = (f: FoundControlState): string => `pid ${f.state.pid} (started ${f.state.startedAt})`;
  if (demo !== undefined) {
    const found = running.find((f) => f.state.pid === demo);
    if (found !== undefined) return found;
    const others = running.length === 0 ? "no demo is running" : `running: ${running.map(describe).join(", ")}`;
    throw new ControlError(ControlErrorCode.noDemo, `[v8r-demo] xl ${action} --demo ${demo}: no running demo has pid ${demo} (${others})`);
  }
  const [only, ...more] = running;
  if (only === undefined) {
    throw new ControlError(ControlErrorCode.noDemo, `[v8r-demo] xl ${action}: no running demo found (no control file ${where}); start one with: v8r-demo`);
  }
  if (more.length > 0) {
    throw new ControlError(
      ControlErrorCode.ambiguous,
      `[v8r-demo] xl ${action}: ${running.length} demos are running, say which with --demo PID: ${running.map(describe).join(", ")}`,
    );
  }
  return only;
}

/**
 * Run an `xl` request against the running demo (the only one, or the one
 * whose pid `request.demo` names) and return the text to print (the `xl
 * list` table, or a one-line confirmation).
 *
 * @throws ControlError when no demo runs, several run and none was named, it does not answer, or it refuses
 * @example
 * ```ts
 * process.stdout.write(await runXl({ action: "list" }));
 * ```
 */
export async function runXl(request: XlRequest, options: XlOptions = {}): Promise<string> {
  const demo = await findDemo(request.action, request.demo, options);
  if (request.action === "list") {
    const body = await controlRequest(demo, "list", "GET", "/v1/domains", undefined, options);
    const domains = Array.isArray(body.domains) ? body.domains.filter(isDomainInfo) : [];
    return formatXlList(domains);
  }
  const body =
    "file" in request
      ? await controlRequest(demo, "create", "POST", "/v1/domains", { file: request.file }, options)
      : await controlRequest(demo, request.action, "POST", `/v1/domains/${encodeURIComponent(request.domain)}/${request.action}`, undefined, options);
  const output = typeof body.output === "string" ? body.output : "";
  return output === "" || output.endsWith("\n") ? output : `${output}\n`;
}

/** What the endpoint answers (`ok`, and `error`, `domains` or `output`). */
interface ControlReply {
  readonly ok?: boolean;
  readonly error?: string;
  readonly domains?: unknown;
  readonly output?: unknown;
}

/** One request to the endpoint of `demo`; ControlError when it cannot be reached or refuses. */
export async function controlRequest(
  demo: FoundControlState,
  action: string,
  method: "GET" | "POST",
  target: string,
  json: unknown,
  options: XlOptions,
): Promise<ControlReply> {
  const { path, state } = demo;
  let res: Response;
  try {
    res = await fetch(new URL(target, state.url), {
      method,
      headers: { authorization: `Bearer ${state.token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw staleDemo(action, path, state.pid, err);
  }
  const body = (await res.json().catch(() => ({}))) as ControlReply;
  if (!res.ok || body.ok !== true) {
    const code = res.status === 404 ? ControlErrorCode.noSuchDomain : ControlErrorCode.failed;
    throw new ControlError(code, `[v8r-demo] xl ${action}: ${body.error ?? `the demo answered HTTP ${res.status}`}`);
  }
  return body;
}

/** The error for a demo whose endpoint did not answer. */
export function staleDemo(action: string, path: string, pid: number, cause: unknown): ControlError {
  const alive = processAlive(pid);
  return new ControlError(ControlErrorCode.stale, `[v8r-demo] xl ${action}: the demo in ${path} (pid ${pid}) ${alive ? "does not answer" : "is no longer running"}`, { cause });
}
