/**
 * The console commands of rpmsg-remote: `rpmsg-demo [status|stop]` and
 * `rpmsg-ctrl ping|period MS|sample [-t MS]`.
 */
import type { ShellIo } from "@v8r/linux-shim";
import type { CtrlCommand, CtrlReply } from "../protocol/mod.ts";
import type { RpmsgRemoteApp } from "./rpmsg-remote-app.ts";

const CTRL_USAGE = "rpmsg-ctrl ping|period MS|sample [-t TIMEOUT_MS]";

function errorText(err: unknown): string {
  return err instanceof Error ? err.message.replace(/^\[[\w-]+\] /, "") : String(err);
}

function status(app: RpmsgRemoteApp, io: ShellIo): number {
  const svc = app.service;
  if (!svc) {
    io.write("rpmsg-demo: not running (type `rpmsg-demo` to start it)\n");
    return 3;
  }
  const c = svc.counters;
  const h = svc.history.counters;
  const latest = svc.history.latest()?.sample;
  io.write(`link: ${svc.linkState}\n`);
  io.write(`samples: ${c.samples} received, ${h.lost} lost, ${h.restarts} Zephyr restarts, ${c.malformed} malformed (${c.oversize} oversize)\n`);
  io.write(`link: ${c.handshakes} handshakes, ${c.peerResets} host re-inits, ${c.reattaches} re-attaches\n`);
  io.write(`page: ${c.published} updates, ${c.publishErrors} failed writes\n`);
  if (latest) io.write(`latest: seq ${latest.seq} of boot ${latest.boot}, Zephyr uptime ${(latest.t / 1000).toFixed(1)} s\n`);
  return 0;
}

async function rpmsgDemo(app: RpmsgRemoteApp, args: readonly string[], io: ShellIo): Promise<number> {
  const sub = args[0];
  if (sub === "status") return status(app, io);
  if (sub === "stop") {
    await app.stopService();
    io.write("rpmsg-demo: stopped (the event channel stays bound in Xen)\n");
    return 0;
  }
  if (sub !== undefined) {
    io.write("usage: rpmsg-demo [status|stop]\n");
    return 2;
  }
  if (app.service) {
    io.write("rpmsg-demo: already running\n");
    return status(app, io);
  }
  await app.startService();
  return 0;
}

function parseCtrl(args: readonly string[]): { command: CtrlCommand; timeoutMs: number | undefined } | string {
  const rest = [...args];
  let timeoutMs: number | undefined;
  const t = rest.indexOf("-t");
  if (t >= 0) {
    timeoutMs = Number(rest[t + 1]);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return "-t needs a positive number of milliseconds";
    rest.splice(t, 2);
  }
  const [cmd, arg, extra] = rest;
  if (extra !== undefined) return `unexpected argument "${extra}"`;
  if (cmd === "ping" || cmd === "sample") return arg === undefined ? { command: { cmd }, timeoutMs } : `${cmd} takes no argument`;
  if (cmd === "period") {
    const ms = Number(arg);
    return arg !== undefined && Number.isInteger(ms) ? { command: { cmd, ms }, timeoutMs } : "period needs an integer MS";
  }
  return cmd === undefined ? "missing command" : `unknown command "${cmd}"`;
}

function describe(reply: CtrlReply): string {
  if (!reply.ok) return `error: ${reply.err}`;
  if ("t" in reply) return `ok, Zephyr uptime ${(reply.t / 1000).toFixed(3)} s`;
  if ("per" in reply) return `ok, sampling every ${reply.per} ms`;
  return `ok, sample seq ${reply.seq} sent`;
}

async function rpmsgCtrl(app: RpmsgRemoteApp, args: readonly string[], io: ShellIo): Promise<number> {
  const parsed = parseCtrl(args);
  if (typeof parsed === "string") {
    io.write(`rpmsg-ctrl: ${parsed}\nusage: ${CTRL_USAGE}\n`);
    return 2;
  }
  const svc = app.service;
  if (!svc) {
    io.write("rpmsg-ctrl: rpmsg-demo is not running (start it with `rpmsg-demo`)\n");
    return 1;
  }
  const aborted = new Promise<"aborted">((resolve) => io.signal.addEventListener("abort", () => resolve("aborted"), { once: true }));
  try {
    const reply = await Promise.race([svc.ctrl.request(parsed.command, parsed.timeoutMs), aborted]);
    if (reply === "aborted") return 130;
    io.write(`${JSON.stringify(reply)}\nrpmsg-ctrl: ${describe(reply)}\n`);
    return reply.ok ? 0 : 1;
  } catch (err) {
    io.write(`rpmsg-ctrl: ${errorText(err)}\n`);
    return 1;
  }
}

/** Register `rpmsg-demo` and `rpmsg-ctrl` on the app's shell. */
export function registerRpmsgCommands(app: RpmsgRemoteApp): void {
  app.linux.shell.register("rpmsg-demo", {
    summary: "start the rpmsg-demo service (status: show the link, stop: stop it)",
    usage: "rpmsg-demo [status|stop]",
    run: (args, io) => rpmsgDemo(app, args, io),
  });
  app.linux.shell.register("rpmsg-ctrl", {
    summary: "send a command to Zephyr on rpmsg-ctrl and print the reply",
    usage: CTRL_USAGE,
    run: (args, io) => rpmsgCtrl(app, args, io),
  });
}
