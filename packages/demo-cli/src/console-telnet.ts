/**
 * `--consoles telnet`: one TCP port per console on the loopback address,
 * like the FVP's terminals (`telnet 127.0.0.1 5000`). A client first gets
 * the console's recent lines and its unfinished one (a prompt), then the
 * output as the guest writes it; in character mode, so each key goes to the
 * guest at once and its echo comes back at once. Built on fvp-core's
 * `serveUartTcp`.
 *
 * @module
 */
import { describeError, type Uart } from "@v8r/fvp-core";
import { serveUartTcp, type UartTcpServer } from "@v8r/fvp-core/node";
import type { ConsoleEndpoint } from "./banner.ts";

/** Options of {@link startTelnetConsoles}. */
export interface TelnetConsoleOptions {
  /** One port per console, in this order, e.g. `{ xen: uart0, zephyr: uart1, linux: uart2 }`. */
  readonly consoles: Readonly<Record<string, Uart>>;
  /** Listen address; default 127.0.0.1. */
  readonly host?: string;
  /** First port; the next consoles take the next ports. Default 0: any free port each. */
  readonly basePort?: number;
  /** Which consoles pass what clients type to their guest: all (true, the default), none (false), or those named. The others are read-only. */
  readonly input?: boolean | readonly string[];
}

/** The running console servers. */
export interface TelnetConsoles {
  /** Where each console is, for the banner (`telnet 127.0.0.1 5000`). */
  readonly endpoints: readonly ConsoleEndpoint[];
  /** The port of each console. */
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
 * const consoles = await startTelnetConsoles({ consoles: { xen: platform.uart(0), linux: platform.uart(2) }, basePort: 5000 });
 * shutdown.add("console ports", () => consoles.close());
 * ```
 */
export async function startTelnetConsoles(options: TelnetConsoleOptions): Promise<TelnetConsoles> {
  const host = options.host ?? "127.0.0.1";
  const base = options.basePort ?? 0;
  const entries = Object.entries(options.consoles);
  if (!Number.isInteger(base) || base < 0 || base + entries.length - 1 > 65_535) {
    throw new RangeError(`[v8r-demo] opening console ports: basePort ${base} leaves no room for ${entries.length} ports`);
  }
  const takesInput = (name: string): boolean => (typeof options.input === "object" ? options.input.includes(name) : options.input !== false);
  const servers: UartTcpServer[] = [];
  const ports: Record<string, number> = {};
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
  };
  try {
    for (const [i, [name, uart]] of entries.entries()) {
      const port = base === 0 ? 0 : base + i;
      const input = takesInput(name);
      const greeting = `--- v8r-demo: ${name} console${input ? "" : " (read-only)"} ---`;
      const server = await serveUartTcp(uart, { port, host, greeting, input }).catch((err: unknown) => {
        const code = (err as { cause?: NodeJS.ErrnoException }).cause?.code;
        const reason = code === "EADDRINUSE" ? "the port is in use (pick another with a free range)" : describeError(err).error;
        throw new TelnetConsoleError(`[v8r-demo] opening the ${name} console on ${host}:${port}: ${reason}`, { cause: err });
      });
      servers.push(server);
      ports[name] = server.port;
    }
  } catch (err) {
    await close();
    throw err;
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    endpoints: entries.map(([name]) => ({ name, where: `telnet ${shown} ${ports[name]}` })),
    ports,
    close,
  };
}
