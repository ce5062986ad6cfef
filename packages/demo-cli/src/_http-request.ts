// Reading a request on the demo's own HTTP endpoints (the dashboard's
// routes, the control endpoint): its path, its body within a limit.
import type { IncomingMessage } from "node:http";

/** The path of an origin-form request target, or undefined when it is not one (the caller's 400, never an exception). */
export function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith("/") || target.startsWith("//")) return undefined;
  try {
    return new URL(target, "http://request.invalid").pathname;
  } catch {
    return undefined;
  }
}

/**
 * The body of `req`, or undefined when it is over `limit` bytes (the rest
 * is then read and dropped, so an answer can still be sent). Rejects when
 * the request fails (the client went away).
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.resume();
      resolve(undefined);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
