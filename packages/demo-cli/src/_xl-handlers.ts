// What `v8r-demo xl ...` does inside the running demo: each request of the
// control endpoint becomes a call on Xen (the hypervisor logs it on its
// console and traces the state changes), plus an `xl` trace event so the
// dashboard's timeline shows who asked.
import { pathToFileURL } from "node:url";
import { type DomainConfig, formatDiagnostic, type Xen, XenBootError, XenError } from "@v8r/xen-dom0less";
import { type ConsoleAttachment, type ControlHandlers, ControlRefusal, type XlAction } from "./control-endpoint.ts";
import { lintConfigFile } from "./lint-config.ts";
import type { DemoPlatform } from "./trace-events.ts";
import type { DomainInfo } from "./xl-list.ts";

/** How long `xl shutdown` and `xl reboot` wait for the guest before answering, ms of the platform clock. */
const SHUTDOWN_WAIT_MS = 5000;
/** Lint errors shown when `xl create FILE` refuses a fragment. */
const MAX_SHOWN_ERRORS = 5;

/** The domains as `xl list` shows them. */
export function xlDomains(xen: Xen): DomainInfo[] {
  return xen.list().map((d) => ({
    name: d.name,
    domid: d.domid,
    memKiB: d.memoryKiB,
    vcpus: d.vcpus,
    state: d.state,
    cpuTimeS: d.cpuTimeMs / 1000,
    uptimeS: d.uptimeMs / 1000,
    restarts: d.restarts,
    crashes: d.crashes,
  }));
}

/**
 * The control endpoint's handlers for `xen` on `platform`. A fragment's
 * relative `v8r,image` specifiers are taken from the fragment's own folder;
 * the others resolve as the booted tree's do.
 */
export function xlHandlers(xen: Xen, platform: DemoPlatform): ControlHandlers {
  const traced = (action: XlAction, domain: string): void => {
    if (platform.trace.active) platform.trace.emit({ type: "xl", action, domain, atMs: platform.clock.now() });
  };
  return {
    list: () => xlDomains(xen),
    async act(action, name) {
      traced(action, name);
      try {
        return await ACTIONS[action](xen, name, platform);
      } catch (err) {
        throw refusal(err);
      }
    },
    async createFromFile(file) {
      const domains = await readFragment(file);
      const out = [`Parsing config from ${file}`];
      for (const d of domains) {
        traced("create", d.name);
        try {
          const info = await xen.create(d);
          out.push(`created domain ${info.name} (id ${info.domid})`);
        } catch (err) {
          throw refusal(err);
        }
      }
      return out.join("\n");
    },
    console: (name) => attachConsole(xen, platform, name),
  };
}

type Act = (xen: Xen, name: string, platform: DemoPlatform) => Promise<string>;

const ACTIONS: Readonly<Record<XlAction, Act>> = {
  async destroy(xen, name) {
    await xen.destroy(name, "xl destroy");
    return `destroyed domain ${name}`;
  },
  async restart(xen, name) {
    await xen.restart(name, "xl restart");
    return `restarted domain ${name}`;
  },
  async shutdown(xen, name, platform) {
    const { domid } = info(xen, name);
    xen.shutdownDomain(name);
    const done = await until(platform, name, () => xen.state(name) === "shutdown");
    return `Shutting down domain ${domid}\n${done ? `domain ${name} is shut down` : `domain ${name} has not shut down yet (${xen.state(name)})`}`;
  },
  async reboot(xen, name, platform) {
    const { domid, restarts } = info(xen, name);
    xen.reboot(name);
    const done = await until(platform, name, () => xen.state(name) === "running" && info(xen, name).restarts > restarts);
    return `Rebooting domain ${domid}${done ? "" : `\ndomain ${name} has not rebooted yet (${xen.state(name)})`}`;
  },
  async pause(xen, name) {
    if (xen.state(name) !== "running") throw new XenError("ESRCH", `[v8r-demo] ${name} is ${xen.state(name)}, not running`);
    xen.pause(name);
    return `paused domain ${name}`;
  },
  async unpause(xen, name) {
    if (xen.state(name) !== "paused") throw new XenError("ESRCH", `[v8r-demo] ${name} is ${xen.state(name)}, not paused`);
    xen.unpause(name);
    return `unpaused domain ${name}`;
  },
  async create(xen, name) {
    const created = await xen.create(name);
    return `created domain ${name} (id ${created.domid})`;
  },
};

function info(xen: Xen, name: string): { domid: number; restarts: number } {
  const d = xen.list().find((x) => x.name === name);
  return { domid: d?.domid ?? 0, restarts: d?.restarts ?? 0 };
}

/**
 * Wait (on the platform clock) until `done()` holds, at most
 * {@link SHUTDOWN_WAIT_MS}; resolves with whether it did. It is checked
 * again only when domain `name` changes state (what it waits for).
 */
function until(platform: DemoPlatform, name: string, done: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    if (done()) return resolve(true);
    const off = platform.trace.on((e) => {
      if (e.type === "xen-domain" && e.domain === name && done()) finish(true);
    });
    const timer = platform.clock.setTimeout(() => finish(done()), SHUTDOWN_WAIT_MS);
    const finish = (ok: boolean): void => {
      off();
      timer.cancel();
      resolve(ok);
    };
  });
}

/** A failure as the endpoint answers it: 404 unknown domain, 409 wrong state, 400 bad fragment. */
function refusal(err: unknown): unknown {
  if (err instanceof ControlRefusal) return err;
  const message = (err as Error).message.replace(/^\[(xen-dom0less|v8r-demo)\] /, "");
  if (err instanceof XenError) return new ControlRefusal(err.code === "EEXIST" || err.code === "ESRCH" ? 409 : 400, message, { cause: err });
  if (err instanceof XenBootError) return new ControlRefusal(400, message, { cause: err });
  if (err instanceof RangeError && /no such domain/.test(err.message)) return new ControlRefusal(404, message, { cause: err });
  return err;
}

/** The domains of a fragment file, linted; their relative `v8r,image` specifiers made absolute from the file's folder. */
async function readFragment(file: string): Promise<DomainConfig[]> {
  let report;
  try {
    report = await lintConfigFile(file);
  } catch (err) {
    throw new ControlRefusal(400, `xl create: ${(err as Error).message.replace(/^\[v8r-demo\] /, "")}`, { cause: err });
  }
  const errors = report.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || report.config === undefined) {
    const shown = errors.slice(0, MAX_SHOWN_ERRORS).map((d) => formatDiagnostic(d));
    throw new ControlRefusal(400, `xl create ${file}: the fragment has ${errors.length} lint error(s):\n${shown.join("\n")}`);
  }
  if (report.config.domains.length === 0) throw new ControlRefusal(400, `xl create ${file}: it has no domain (a node with compatible = "xen,domain" under /chosen)`);
  const base = pathToFileURL(file);
  return report.config.domains.map((d) => {
    const image = d.kernel?.image;
    if (d.kernel === undefined || image === undefined || !/^\.{0,2}\//.test(image)) return d;
    return { ...d, kernel: { ...d.kernel, image: new URL(image, base).href } };
  });
}

/** `xl console NAME`: the domain's console UART, until the domain is destroyed. */
function attachConsole(xen: Xen, platform: DemoPlatform, name: string): ConsoleAttachment {
  const uart = xen.console(name);
  const history = uart.history();
  return {
    replay: (history.length > 0 ? `${history.join("\n")}\n` : "") + uart.pending(),
    onOutput: (cb) => uart.onOutput(cb),
    onEnd: (cb) => platform.trace.on((e) => e.type === "xen-domain" && e.domain === name && e.state === "destroyed" && cb()),
    input(bytes) {
      if (xen.state(name) !== "destroyed") uart.input(bytes);
    },
  };
}
