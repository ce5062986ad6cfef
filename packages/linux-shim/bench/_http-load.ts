// Load generator of web.bench.ts: raw HTTP/1.1 over net sockets (no client
// library in the measured path), each connection sending one GET at a time
// and timing it from the write to the last byte of the body.
import { connect, type Socket } from "node:net";

/** Latencies (ms) of the requests that completed, and how many failed. */
export interface LoadResult {
  readonly latencies: number[];
  readonly failures: number;
  readonly seconds: number;
}

/** One keep-alive connection; `get()` resolves with the latency of one GET, or rejects. */
class Connection {
  readonly #socket: Socket;
  readonly #request: Buffer;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { start: number; resolve: (ms: number) => void; reject: (e: Error) => void } | undefined;
  readonly ready: Promise<void>;

  constructor(port: number, path: string, keepAlive: boolean) {
    this.#request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${keepAlive ? "" : "Connection: close\r\n"}\r\n`);
    this.#socket = connect({ host: "127.0.0.1", port });
    this.#socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.#socket.once("connect", () => resolve());
      this.#socket.once("error", reject);
    });
    this.#socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on("error", (e) => this.#fail(e));
    this.#socket.on("close", () => this.#fail(new Error("closed by the server")));
  }

  get(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#pending = { start: performance.now(), resolve, reject };
      this.#socket.write(this.#request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0 || this.#pending === undefined) return;
    const head = this.#buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#buffer.length < end + 4 + length) return;
    const status = Number(head.split(" ")[1]);
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    const pending = this.#pending;
    this.#pending = undefined;
    if (status === 200) pending.resolve(performance.now() - pending.start);
    else pending.reject(new Error(`status ${status}`));
  }

  #fail(e: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(e);
  }
}

/** `clients` keep-alive connections, each sending GETs back to back for `seconds`. */
export async function sustainedLoad(port: number, path: string, clients: number, seconds: number): Promise<LoadResult> {
  const connections = Array.from({ length: clients }, () => new Connection(port, path, true));
  await Promise.all(connections.map((c) => c.ready));
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(connections.map(async (c) => {
    while (performance.now() < deadline) {
      try {
        latencies.push(await c.get());
      } catch {
        failures++;
        return;
      }
    }
  }));
  for (const c of connections) c.close();
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

/** `clients` new connections at once, one GET each, timed from the connect to the last byte. */
export async function burst(port: number, path: string, clients: number): Promise<LoadResult> {
  const started = performance.now();
  const latencies: number[] = [];
  let failures = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    const t0 = performance.now();
    const c = new Connection(port, path, false);
    try {
      await c.ready;
      await c.get();
      latencies.push(performance.now() - t0);
    } catch {
      failures++;
    } finally {
      c.close();
    }
  }));
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

/** The `q` quantile (0..1) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
