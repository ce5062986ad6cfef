// The host side of the Linux guest's requests (linux-shim's host-request.ts):
// typing `nginx` or `httpd` on the Linux console publishes a
// `linux.request` with action `start-web-server` on the trace bus; the demo
// starts its web server (once) and answers with a `linux.response` control
// message carrying the page's URL.
import { describeError } from "@v8r/fvp-core";
import { LINUX_REQUEST, LINUX_RESPONSE, type LinuxResponse } from "@v8r/linux-shim";
import type { Xen } from "@v8r/xen-dom0less";
import type { DemoPlatform, DemoTraceEvent } from "./trace-events.ts";

/** What the demo does for each action. */
export interface HostRequestHandlers {
  /** Start the web server (or find it running) and resolve with the status page's URL. */
  readonly startWebServer: () => Promise<string>;
  /** Reports what was asked and how it went. */
  readonly log: (line: string, level: "info" | "error") => void;
}

interface ParsedRequest {
  readonly id: number;
  readonly action: unknown;
  readonly domain: string;
}

/** Answers `linux.request` events; watches the trace bus from construction. */
export class HostRequests {
  readonly #handlers: HostRequestHandlers;
  #xen: Xen | undefined;
  readonly #early: ParsedRequest[] = [];
  readonly #off: () => void;

  /** Listen on `platform`'s trace bus (before Xen boots, so no request is missed). */
  constructor(platform: DemoPlatform, handlers: HostRequestHandlers) {
    this.#handlers = handlers;
    this.#off = platform.trace.on((e) => this.#observe(e));
  }

  /** Answer requests through `xen` from now on (and those that came before). */
  attach(xen: Xen): void {
    this.#xen = xen;
    for (const r of this.#early.splice(0)) void this.#answer(r);
  }

  /** Stop listening. */
  close(): void {
    this.#off();
  }

  #observe(e: DemoTraceEvent): void {
    if (e.type !== LINUX_REQUEST) return;
    const request = { id: e.id, action: e.action, domain: e.domain };
    if (this.#xen === undefined) this.#early.push(request);
    else void this.#answer(request);
  }

  async #answer(r: ParsedRequest): Promise<void> {
    let response: LinuxResponse;
    if (r.action === "start-web-server") {
      try {
        const url = await this.#handlers.startWebServer();
        this.#handlers.log(`[v8r-demo] ${r.domain} asked for the web server: serving ${url}`, "info");
        response = { type: LINUX_RESPONSE, id: r.id, ok: true, url };
      } catch (err) {
        const error = describeError(err).error;
        this.#handlers.log(`[v8r-demo] ${r.domain} asked for the web server, which did not start: ${error}`, "error");
        response = { type: LINUX_RESPONSE, id: r.id, ok: false, error };
      }
    } else {
      response = { type: LINUX_RESPONSE, id: r.id, ok: false, error: `the host does not know the action ${JSON.stringify(r.action)}` };
    }
    this.#xen?.post(r.domain, response);
  }
}
