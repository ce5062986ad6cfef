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
import { CHARACTER_MODE, createTelnetInputFilter } from "./_telnet.ts";
import type { Uart } from "./uart.ts";
import { WorkerExecutor, type WorkerExecutorOptions, type WorkerFactory, type WorkerLike } from "./worker-executor.ts";

// Runs first in every worker (CommonJS eval code): gives the entry module
// the Web Worker globals it uses (postMessage, addEventListener for
// message, error and unhandledrejection), registers tsx for .ts sources,
// then imports the entry module.
// - Messages go through parentPort, which it listens on at once, keeping what
//   arrives until the entry listens: Deno's parentPort drops messages that
//   come while nobody listens (Node's queues them), and the host's first
//   message comes while the entry is still loading.
// - Error events go to the runtime's own addEventListener where there is one
//   (Deno runs worker_threads on a Web Worker, and builds process.on(
//   "uncaughtException") on that addEventListener: routing them to process.on
//   made each registration call itself until the stack overflowed), else
//   to process.on (Node).
const BOOTSTRAP = `
const { parentPort, workerData } = require("node:worker_threads");
const nativeListen = typeof globalThis.addEventListener === "function" ? globalThis.addEventListener.bind(globalThis) : undefined;
const early = [];
const listeners = [];
parentPort.on("message", (data) => {
  if (listeners.length === 0) early.push(data);
  else for (const fn of listeners) fn({ data });
});
globalThis.self ??= globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
globalThis.addEventListener = (type, fn) => {
  if (type === "message") {
    listeners.push(fn);
    for (const data of early.splice(0)) fn({ data });
  } else if (nativeListen) nativeListen(type, fn);
  else if (type === "error") process.on("uncaughtException", (error) => fn({ error }));
  else if (type === "unhandledrejection") process.on("unhandledRejection", (reason) => fn({ reason }));
};
(async () => {
  if (workerData.tsx) { const { register } = await import(workerData.tsx); register(); }
  await import(workerData.entry);
})().catch((e) => { setTimeout(() => { throw e; }); });
`;

let tsxUrl: string | undefined;

// Deno runs TypeScript itself (and tsx's esbuild service does not start in
// a Deno worker_threads Worker), so only Node needs tsx for .ts sources.
const RUNTIME_RUNS_TS = "deno" in process.versions;

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
 * guest module is a `.ts` file it registers tsx in the worker first (in
 * Node; Deno runs TypeScript itself), so guests run from the repository
 * sources; built `.js` files need nothing.
 */
export const nodeWorkerFactory: WorkerFactory = (url, opts) => {
  const needsTs = !RUNTIME_RUNS_TS && [url.href, ...opts.modules].some((u) => /\.[cm]?ts$/.test(new URL(u).pathname));
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

/** Output queued for one TCP client beyond which it is disconnected (it stopped reading). */
const MAX_CLIENT_BACKLOG = 1 << 20;

/** Options of {@link serveUartTcp}. */
export interface UartTcpOptions {
  /** TCP port (0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Send each new client the UART's kept history and its unfinished line first, so a late client still sees the boot log and the prompt (default true). */
  replay?: boolean;
  /** A line sent to each new client before anything else, e.g. `--- linux console ---`. */
  greeting?: string;
  /** Pass what clients type to the guest (default true). False serves a read-only console that stays in the client's line mode. */
  input?: boolean;
  /** Clients at most (default 16); a connection beyond them is closed on arrival. */
  maxClients?: number;
}

/**
 * Serve a UART over TCP, like the FVP's telnet terminals: every client gets
 * the UART's output as the guest writes it (line feeds sent as CRLF), so a
 * prompt or the echo of a key shows at once, and what it types becomes UART
 * input. A console that takes input switches telnet clients to character
 * mode with the guest echoing (`IAC WILL ECHO`, `IAC WILL SUPPRESS-GO-AHEAD`)
 * and drops telnet commands from what they send. A client that connects
 * later first gets the lines the UART kept (see `Uart.history()`) and its
 * unfinished line, unless `replay` is false. A client that stops reading
 * is disconnected once 1 MiB of output waits for it, and at most
 * `maxClients` are connected at once.
 *
 * @throws Error when the port cannot be opened; its `cause` is the Node error (`code` `EADDRINUSE` for a taken port)
 */
export async function serveUartTcp(uart: Uart, opts: UartTcpOptions = {}): Promise<UartTcpServer> {
  const sockets = new Set<Socket>();
  const takesInput = opts.input !== false;
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    const opening: string[] = [];
    if (opts.greeting !== undefined) opening.push(`${opts.greeting}\r\n`);
    if (opts.replay !== false) {
      for (const line of uart.history()) opening.push(`${line}\r\n`);
      opening.push(uart.pending());
    }
    if (takesInput) socket.write(CHARACTER_MODE);
    if (opening.length > 0) socket.write(opening.join(""));
    sockets.add(socket);
    if (takesInput) {
      const filter = createTelnetInputFilter();
      socket.on("data", (chunk: Buffer) => {
        const bytes = filter(new Uint8Array(chunk));
        if (bytes.length > 0) uart.input(bytes);
      });
    } else {
      socket.resume();
    }
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {
      sockets.delete(socket);
      socket.destroy();
    });
  });
  server.maxConnections = opts.maxClients ?? 16;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new Error(`${PREFIX} serving ${uart.name} over TCP on port ${opts.port ?? 0}: ${e.message}`, { cause: e })));
    server.listen({ port: opts.port ?? 0, host: opts.host ?? "127.0.0.1", exclusive: true }, resolve);
  });
  let afterCr = false;
  const detach = uart.onOutput((text) => {
    // a CR at the end of one write and its LF at the start of the next are still one CRLF
    const crlf = text.replace(/\r?\n/g, (m, at: number) => (m === "\n" && at === 0 && afterCr ? "\n" : "\r\n"));
    afterCr = text.endsWith("\r");
    for (const s of sockets) {
      // a client that stopped reading is dropped rather than buffered for without limit
      if (s.writableLength > MAX_CLIENT_BACKLOG) s.destroy();
      else s.write(crlf);
    }
  });
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

/** Drop telnet commands (IAC sequences, option negotiation, subnegotiation) from one piece of client input; IAC IAC stands for a 0xff byte. For a stream, use {@link createTelnetInputFilter}, which keeps its state across chunks. */
export function stripTelnet(input: Uint8Array): Uint8Array {
  return createTelnetInputFilter()(input);
}

export { createTelnetInputFilter } from "./_telnet.ts";
