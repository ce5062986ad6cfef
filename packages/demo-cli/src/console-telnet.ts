/**
 * `--consoles telnet`: one TCP port per console on the loopback address,
 * like the FVP's terminals (`telnet 127.0.0.1 5000`). A client first gets
 * the console's recent lines, then every new one; what it types goes to
 * the guest's console input when the demo supplies `onInput`.
 *
 * @module
 */
import { createServer, type Server, type Socket } from "node:net";
import { CHARACTER_MODE, createTelnetInputFilter } from "./_telnet.ts";
import type { ConsoleEndpoint } from "./banner.ts";
import type { ConsoleMux } from "./console-mux.ts";

/** Options of {@link startTelnetConsoles}. */
export interface TelnetConsoleOptions {
  /** The console lines come from here. */
  readonly mux: ConsoleMux;
  /** One port per source, in this order, e.g. `["xen", "zephyr", "linux"]`. */
  readonly sources: readonly string[];
  /** Listen address; default 127.0.0.1. */
  readonly host?: string;
  /** First port; the next sources take the next ports. Default 0: any free port each. */
  readonly basePort?: number;
  /** Receives what a client types (telnet commands removed); without it consoles are read-only. */
  readonly onInput?: (source: string, bytes: Uint8Array) => void;
}

/** The running console servers. */
export interface TelnetConsoles {
  /** Where each console is, for the banner (`telnet 127.0.0.1 5000`). */
  readonly endpoints: readonly ConsoleEndpoint[];
  /** The port of each source. */
  readonly ports: Readonly<Record<string, number>>;
  /** Disconnect every client and stop listening. */
  close(): Promise<void>;
}

/** A console port that could not be opened. */
export class TelnetConsoleError extends Error {
  /** Stable code callers can test for. */
  readonly code = "V8R_DEMO_CONSOLE_PORT" as const;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TelnetConsoleError";
  }
}

/**
 * Open one telnet port per console.
 *
 * @throws TelnetConsoleError when a port is in use
 * @example
 * ```ts
 * const consoles = await startTelnetConsoles({ mux, sources: ["xen", "zephyr", "linux"], basePort: 5000 });
 * shutdown.add("console ports", () => consoles.close());
 * ```
 */
export async function startTelnetConsoles(options: TelnetConsoleOptions): Promise<TelnetConsoles> {
  const host = options.host ?? "127.0.0.1";
  const base = options.basePort ?? 0;
  if (!Number.isInteger(base) || base < 0 || base + options.sources.length - 1 > 65_535) {
    throw new RangeError(`[v8r-demo] opening console ports: basePort ${base} leaves no room for ${options.sources.length} ports`);
  }
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const ports: Record<string, number> = {};
  const close = async (): Promise<void> => {
    unsubscribe();
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  const clients = new Map<string, Set<Socket>>(options.sources.map((s) => [s, new Set()]));
  const unsubscribe = options.mux.subscribe((entry) => {
    for (const socket of clients.get(entry.source) ?? []) socket.write(`${entry.line}\r\n`);
  });
  try {
    for (const [i, source] of options.sources.entries()) {
      const server = createServer((socket) => accept(socket, source, options, clients, sockets));
      servers.push(server);
      ports[source] = await listen(server, host, base === 0 ? 0 : base + i, source);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    endpoints: options.sources.map((name) => ({ name, where: `telnet ${shown} ${ports[name]}` })),
    ports,
    close,
  };
}

function accept(socket: Socket, source: string, options: TelnetConsoleOptions, clients: Map<string, Set<Socket>>, all: Set<Socket>): void {
  const mine = clients.get(source);
  mine?.add(socket);
  all.add(socket);
  socket.setNoDelay(true);
  socket.on("error", () => socket.destroy());
  socket.on("close", () => {
    mine?.delete(socket);
    all.delete(socket);
  });
  const onInput = options.onInput;
  if (onInput !== undefined) {
    socket.write(CHARACTER_MODE);
    const filter = createTelnetInputFilter();
    socket.on("data", (chunk: Buffer) => {
      const bytes = filter(chunk);
      if (bytes.length > 0) onInput(source, bytes);
    });
  } else {
    socket.resume();
  }
  const tail = options.mux.tail(source);
  socket.write(`--- v8r-demo: ${source} console${onInput === undefined ? " (read-only)" : ""} ---\r\n`);
  if (tail.length > 0) socket.write(`${tail.join("\r\n")}\r\n`);
}

function listen(server: Server, host: string, port: number, source: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const reason = err.code === "EADDRINUSE" ? "the port is in use (pick another with a free range)" : err.message;
      reject(new TelnetConsoleError(`[v8r-demo] opening the ${source} console on ${host}:${port}: ${reason}`, { cause: err }));
    });
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}
