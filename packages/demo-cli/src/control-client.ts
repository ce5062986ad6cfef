/**
 * The client side of the control endpoint: what `v8r-demo xl ...` runs.
 *
 * @module
 */
import { controlStateDir, listControlStates, processAlive, type ControlStateLocation, type FoundControlState } from "./control-state.ts";
import { formatXlList, isDomainInfo, type DomainInfo } from "./xl-list.ts";

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
export type XlRequest = ({ readonly action: "list" } | { readonly action: "destroy" | "restart"; readonly domain: string }) & { readonly demo?: number | undefined };

/** Options of {@link runXl}: where the state files are, and a timeout. */
export interface XlOptions extends ControlStateLocation {
  /** Request timeout in ms; default 5000. */
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
  const { path, state } = await findDemo(request.action, request.demo, options);
  const target =
    request.action === "list" ? "/v1/domains" : `/v1/domains/${encodeURIComponent(request.domain)}/${request.action}`;
  let res: Response;
  try {
    res = await fetch(new URL(target, state.url), {
      method: request.action === "list" ? "GET" : "POST",
      headers: { authorization: `Bearer ${state.token}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (err) {
    const alive = processAlive(state.pid);
    throw new ControlError(
      ControlErrorCode.stale,
      `[v8r-demo] xl ${request.action}: the demo in ${path} (pid ${state.pid}) ${alive ? "does not answer" : "is no longer running"}`,
      { cause: err },
    );
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string; domains?: unknown };
  if (!res.ok || body.ok !== true) {
    const code = res.status === 404 ? ControlErrorCode.noSuchDomain : ControlErrorCode.failed;
    throw new ControlError(code, `[v8r-demo] xl ${request.action}: ${body.error ?? `the demo answered HTTP ${res.status}`}`);
  }
  if (request.action !== "list") return `${request.action === "destroy" ? "destroyed" : "restarted"} domain ${request.domain}\n`;
  const domains = Array.isArray(body.domains) ? body.domains.filter(isDomainInfo) : [];
  return formatXlList(domains as DomainInfo[]);
}
