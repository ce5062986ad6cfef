/** Test helper: raw HTTP/1.1 over a TCP socket, for requests fetch() would normalise. */
import { readFileSync } from "node:fs";
import { connect } from "node:net";

/** A parsed raw response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly raw: string;
}

/** Send `request` verbatim and read until the server closes the connection (or `timeoutMs`). */
export function rawRequest(port: number, request: string, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString("latin1")));
    });
    socket.write(request);
  });
}

/** A GET (or other method) for `path` sent exactly as given, with Connection: close. */
export function rawGet(port: number, path: string, method = "GET", extra = "", timeoutMs?: number): Promise<RawResponse> {
  return rawRequest(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`, timeoutMs);
}

function parse(raw: string): RawResponse {
  const split = raw.indexOf("\r\n\r\n");
  const head = split < 0 ? raw : raw.slice(0, split);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: split < 0 ? "" : raw.slice(split + 4), raw };
}

/**
 * Whether the server's end of the connection from `clientPort` to
 * `serverPort` is no longer established (Linux: /proc/net/tcp), for a client
 * that stopped reading and so cannot see the close itself.
 */
export function serverEndClosed(serverPort: number, clientPort: number): boolean {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  const rows = readFileSync("/proc/net/tcp", "utf8").split("\n").map((l) => l.trim().split(/\s+/));
  const row = rows.find((r) => r[1]?.endsWith(`:${hex(serverPort)}`) && r[2]?.endsWith(`:${hex(clientPort)}`));
  return row === undefined || row[3] !== "01"; // 01: ESTABLISHED
}
