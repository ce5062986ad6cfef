// The demo's web server (the status page, plus the dashboard with the
// built-in engine), started at boot or later when the Linux guest asks for it
// (`nginx` on its console with --no-autorun). Starting is idempotent.
import { describeError } from "@v8r/fvp-core";
import { startWebServer } from "@v8r/linux-shim/node";
import { isLoopbackHost } from "./_loopback.ts";
import { createDashboard } from "./dashboard/create-dashboard.ts";
import type { DemoSession } from "./_demo-session.ts";
import type { DemoOptions } from "./options.ts";
import type { DemoIo } from "./run-demo.ts";

/** Where the web server serves. */
export interface WebUrls {
  /** URL of the status page. */
  readonly statusUrl: string;
  /** URL of the dashboard (built-in engine only). */
  readonly dashboardUrl?: string;
}

/** Starts the web server once; later calls resolve with the same URLs. */
export class WebHost {
  readonly #options: DemoOptions;
  readonly #io: DemoIo;
  readonly #htmlDir: string;
  readonly #session: DemoSession;
  #started: Promise<WebUrls> | undefined;

  /** A web host for `htmlDir` (nothing starts yet). */
  constructor(options: DemoOptions, io: DemoIo, htmlDir: string, session: DemoSession) {
    this.#options = options;
    this.#io = io;
    this.#htmlDir = htmlDir;
    this.#session = session;
  }

  /** Start the server (once); a failed start may be retried. */
  start(): Promise<WebUrls> {
    if (this.#started === undefined) {
      const starting = this.#start();
      this.#started = starting;
      starting.catch(() => {
        if (this.#started === starting) this.#started = undefined;
      });
    }
    return this.#started;
  }

  async #start(): Promise<WebUrls> {
    const options = this.#options;
    const io = this.#io;
    const session = this.#session;
    const engine = options.server;
    if (engine === "none") throw new Error("[v8r-demo] starting the web server: the demo runs with --server none");
    const dashboard =
      engine === "builtin" ? createDashboard({ getSnapshot: () => session.snapshot(), onSetPeriod: (ms) => session.setPeriod(ms) }) : undefined;
    let server;
    try {
      server = await startWebServer({
        root: this.#htmlDir,
        port: options.port,
        host: options.host,
        engine,
        ...(options.nginx === undefined ? {} : { nginxPath: options.nginx }),
        log: (line) => io.console.line(engine === "builtin" ? "v8r" : "linux", line),
        ...(dashboard === undefined ? {} : { dashboard }),
        ...(engine === "builtin" ? { idleRelease: options.idleGc } : {}),
      });
    } catch (err) {
      dashboard?.close();
      if ((err as { code?: unknown }).code !== "EADDRINUSE") throw err;
      const reason = describeError(err).error;
      throw new Error(`${reason}; pick another port with --port N (--port 0 takes any free one) or stop what uses it`, { cause: err });
    }
    io.shutdown.add("web server", () => server.close());
    if (dashboard !== undefined) {
      // a domain's state, the link or an xl command shows at once, not at the next periodic update
      const off = session.onChange(() => dashboard.notifyChange());
      io.shutdown.add("dashboard streams", () => {
        off();
        dashboard.close();
      });
    }
    if (dashboard !== undefined && !isLoopbackHost(server.host)) {
      io.console.line("v8r", `[v8r-demo] listening on ${server.host}: other machines get the status page and dashboard read-only; the period can only be changed from this machine`);
    }
    const base = server.url.replace(/\/$/, "");
    return { statusUrl: `${base}/zephyr-status.html`, ...(dashboard === undefined ? {} : { dashboardUrl: `${base}/` }) };
  }
}
