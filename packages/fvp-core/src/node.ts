/**
 * Node.js adapters for `@v8r/fvp-core`: a `worker_threads` factory for the
 * {@link WorkerExecutor} (Node 20 has no global Worker) and a TCP server per
 * UART, like the FVP's telnet terminals.
 *
 * @example
 * ```ts
 * import { createPlatform, FVP_BaseR_AEMv8R, WorkerExecutor } from "@v8r/fvp-core";
 * import { nodeWorkerFactory, serveUartTcp } from "@v8r/fvp-core/node";
 * const platform = createPlatform(FVP_BaseR_AEMv8R, { executor: new WorkerExecutor({ workerFactory: nodeWorkerFactory }) });
 * const server = await serveUartTcp(platform.uarts[0]!, { port: 5000 });
 * ```
 *
 * @module
 */
import { createRequire } from "node:module";
import { createServer, type Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PREFIX } from "./_format.ts";
import type { Uart, UartSink } from "./uart.ts";
import { WorkerExecutor, type WorkerExecutorOptions, type WorkerFactory, type WorkerLike } from "./worker-executor.ts";

// Runs first in every worker (CommonJS eval code): gives worker_threads the
// Web Worker globals the entry module uses, registers tsx for .ts sources,
// then imports the entry module.
const BOOTSTRAP = `
const { parentPort, workerData } = require("node:worker_threads");
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
globalThis.addEventListener = (type, fn) => {
  if (type === "message") parentPort.on("message", (data) => fn({ data }));
  else if (type === "error") process.on("uncaughtException", (error) => fn({ error }));
  else if (type === "unhandledrejection") process.on("unhandledRejection", (reason) => fn({ reason }));
};
(async () => {
  if (workerData.tsx) { const { register } = await import(workerData.tsx); register(); }
  await import(workerData.entry);
})().catch((e) => { setTimeout(() => { throw e; }); });
`;

let tsxUrl: string | undefined;

/** URL of tsx's ESM loader API, resolved from this package (a dev dependency of the workspace). */
function resolveTsx(): string {
  if (tsxUrl) return tsxUrl;
  try {
    const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
    tsxUrl = pathToFileURL(cjs.replace(/\.cjs$/, ".mjs")).href;
    return tsxUrl;
  } catch (e) {
    throw new Error(`${PREFIX} starting a worker on .ts sources: the tsx package could not be resolved; install tsx or run the built .js files`, { cause: e });
  }
}

/**
 * A {@link WorkerFactory} over Node's `worker_threads`. When the entry or a
 * guest module is a `.ts` file it registers tsx in the worker first, so
 * guests run from the repository sources; built `.js` files need nothing.
 */
export const nodeWorkerFactory: WorkerFactory = (url, opts) => {
  const needsTs = [url.href, ...opts.modules].some((u) => /\.[cm]?ts$/.test(new URL(u).pathname));
  const w = new Worker(BOOTSTRAP, {
    eval: true,
    name: opts.name,
    workerData: { entry: url.href, tsx: needsTs ? resolveTsx() : undefined },
  });
  return adaptNodeWorker(w);
};

/** Wrap a `worker_threads` Worker as a {@link WorkerLike}. */
export function adaptNodeWorker(w: Worker): WorkerLike {
  return {
    postMessage: (msg) => w.postMessage(msg),
    terminate: () => w.terminate(),
    addEventListener(type, listener) {
      if (type === "message") w.on("message", (data: unknown) => listener({ data }));
      else w.on("error", (error: unknown) => listener({ error, message: error instanceof Error ? error.message : String(error) }));
    },
  };
}

/** A {@link WorkerExecutor} using {@link nodeWorkerFactory}. */
export function nodeWorkerExecutor(opts: Omit<WorkerExecutorOptions, "workerFactory"> = {}): WorkerExecutor {
  return new WorkerExecutor({ ...opts, workerFactory: nodeWorkerFactory });
}

/** A running UART TCP server. */
export interface UartTcpServer {
  /** The TCP port it listens on (useful with `port: 0`). */
  readonly port: number;
  /** Number of connected clients. */
  readonly clients: number;
  /** Disconnect clients, stop listening and detach from the UART. */
  close(): Promise<void>;
}

/** Options of {@link serveUartTcp}. */
export interface UartTcpOptions {
  /** TCP port (0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Send each new client the UART's kept history first, so a late client still sees the boot log (default true). */
  replay?: boolean;
}

/**
 * Serve a UART over TCP, like the FVP's telnet terminals: every client gets
 * the UART's output lines (CRLF-terminated) and what it types becomes UART
 * input. A client that connects later first gets the lines the UART kept
 * (see `Uart.history()`), unless `replay` is false.
 */
export async function serveUartTcp(uart: Uart, opts: UartTcpOptions = {}): Promise<UartTcpServer> {
  const sockets = new Set<Socket>();
  const sink: UartSink = {
    line(text) {
      for (const s of sockets) s.write(`${text}\r\n`);
    },
  };
  const server = createServer((socket) => {
    if (opts.replay !== false) {
      const backlog = uart.history();
      if (backlog.length > 0) socket.write(backlog.map((l) => `${l}\r\n`).join(""));
    }
    sockets.add(socket);
    socket.on("data", (chunk: Buffer) => {
      const bytes = stripTelnet(new Uint8Array(chunk));
      if (bytes.length > 0) uart.input(bytes);
    });
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new Error(`${PREFIX} serving ${uart.name} over TCP on port ${opts.port ?? 0}: ${e.message}`, { cause: e })));
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve);
  });
  const detach = uart.attach(sink);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  return {
    port,
    get clients() {
      return sockets.size;
    },
    async close() {
      detach();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const IAC = 255;
const SB = 250;
const SE = 240;

/** Drop telnet commands (IAC sequences, option negotiation, subnegotiation) from client input; IAC IAC stands for a 0xff byte. */
export function stripTelnet(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const b = input[i] as number;
    if (b !== IAC) {
      out.push(b);
      continue;
    }
    const cmd = input[i + 1];
    if (cmd === IAC) {
      out.push(IAC);
      i++;
    } else if (cmd === SB) {
      while (i < input.length && !(input[i] === IAC && input[i + 1] === SE)) i++;
      i++;
    } else if (cmd !== undefined && cmd >= 251 && cmd <= 254) {
      i += 2; // WILL/WONT/DO/DONT <option>
    } else {
      i++;
    }
  }
  return Uint8Array.from(out);
}
