/** Internal: ports and readiness checks for the web server engines. */
import { createServer, type Server } from "node:net";
import { WebServerError } from "./web-server-error.ts";

/** The clear error for a port that is taken. */
export function portInUse(host: string, port: number, cause?: unknown): WebServerError {
  return new WebServerError("EADDRINUSE", `[linux-shim] port ${port} on ${host} is already in use`, { cause });
}

/** Listen on `port` (0: a free one) of `host`, exclusively; resolves with the port, or rejects with the port-in-use error. */
export function listen(server: Server, host: string, port: number, backlog?: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE" ? portInUse(host, port, err) : err);
    };
    server.once("error", onError);
    server.listen({ host, port, exclusive: true, ...(backlog === undefined ? {} : { backlog }) }, () => {
      server.off("error", onError);
      const address = server.address();
      resolvePort(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Bind `port` on `host` briefly: returns the port (a free one for 0), or throws the port-in-use error. */
export async function probePort(host: string, port: number): Promise<number> {
  const server = createServer();
  const chosen = await listen(server, host, port);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return chosen;
}

/**
 * Poll `url` until it answers with any HTTP status, `failed()` returns a
 * reason, or `timeoutMs` passes.
 */
export async function waitForHttp(url: string, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}
