/**
 * The Linux console's built-in commands: dmesg, cat, ls, uptime, uname,
 * hostname, xl, nginx/httpd, poweroff, reboot.
 */
import { describeError } from "@v8r/fvp-core";
import { requestHost } from "./host-request.ts";
import type { LinuxSystem } from "./linux.ts";
import { LINUX_RELEASE } from "./_release.ts";
import { RootFsError } from "./rootfs.ts";
import type { ShellIo } from "./shell.ts";
import { WEB_ROOT } from "./web-root.ts";

/** How long `nginx`/`httpd` waits for the host's answer, ms. */
export const WEB_SERVER_REQUEST_TIMEOUT_MS = 5000;

function fsMessage(err: unknown): string {
  if (err instanceof RootFsError) {
    const text: Record<string, string> = {
      ENOENT: "No such file or directory",
      EISDIR: "Is a directory",
      ENOTDIR: "Not a directory",
      EACCES: "Permission denied",
    };
    return text[err.code] ?? err.code;
  }
  return describeError(err).error;
}

function resolvePath(path: string): string {
  return path.startsWith("/") ? path : `/root/${path}`;
}

async function cat(sys: LinuxSystem, args: readonly string[], io: ShellIo): Promise<number> {
  if (args.length === 0) {
    io.write("cat: missing operand (usage: cat FILE...)\n");
    return 1;
  }
  let status = 0;
  for (const arg of args) {
    try {
      const text = await sys.fs.readText(resolvePath(arg));
      io.write(text.endsWith("\n") || text === "" ? text : `${text}\n`);
    } catch (err) {
      io.write(`cat: ${arg}: ${fsMessage(err)}\n`);
      status = 1;
    }
  }
  return status;
}

async function ls(sys: LinuxSystem, args: readonly string[], io: ShellIo): Promise<number> {
  const targets = args.length > 0 ? args : ["/root"];
  let status = 0;
  for (const arg of targets) {
    const path = resolvePath(arg);
    try {
      const st = await sys.fs.stat(path);
      if (st.kind === "file") {
        io.write(`${arg}\n`);
        continue;
      }
      const names = await sys.fs.readdir(path);
      if (targets.length > 1) io.write(`${arg}:\n`);
      if (names.length > 0) io.write(`${names.join("  ")}\n`);
    } catch (err) {
      if (path === "/root" && err instanceof RootFsError && err.code === "ENOENT") continue;
      io.write(`ls: cannot access '${arg}': ${fsMessage(err)}\n`);
      status = 2;
    }
  }
  return status;
}

function uptime(sys: LinuxSystem, io: ShellIo): void {
  const total = Math.floor(sys.uptimeMs() / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, "0");
  const cpus = sys.ctx.cpus;
  const load = cpus.length === 0 ? 0 : cpus.reduce((sum, c) => sum + c.load(10_000), 0) / cpus.length;
  io.write(` up ${pad(h)}:${pad(m)}:${pad(s)},  1 user,  vCPU load ${(load * 100).toFixed(1)}% (last 10 s, ${cpus.length} vCPU${cpus.length === 1 ? "" : "s"})\n`);
}

async function webServer(sys: LinuxSystem, name: string, io: ShellIo): Promise<number> {
  io.write(`${name}: asking the host to serve ${WEB_ROOT} of this root filesystem ...\n`);
  const answer = await requestHost(sys.ctx, "start-web-server", { root: WEB_ROOT, command: name }, WEB_SERVER_REQUEST_TIMEOUT_MS);
  if (answer === undefined) {
    io.write(`${name}: the host did not answer; any web server on the host can serve ${WEB_ROOT} of this root filesystem\n`);
    return 1;
  }
  if (!answer.ok) {
    io.write(`${name}: the host could not start the web server: ${answer.error ?? "no reason given"}\n`);
    return 1;
  }
  io.write(`${name}: serving ${WEB_ROOT} at ${answer.url ?? "(address not reported)"}\n`);
  return 0;
}

function xl(sys: LinuxSystem, io: ShellIo): number {
  io.write(
    "xl: not available in a domU: this is a dom0less system, so there is no dom0 and no toolstack to ask.\n" +
      `xl: this domain is domid ${sys.ctx.domid} ("${sys.ctx.name}"); the v8r host console lists all domains.\n`,
  );
  return 1;
}

/** Register the built-in commands of a booted system on its shell. */
export function registerLinuxBuiltins(sys: LinuxSystem): void {
  const { shell } = sys;
  shell.register("dmesg", {
    summary: "print the kernel log (-c: then clear it)",
    usage: "dmesg [-c]",
    run: (args, io) => {
      const lines = sys.klog.dmesg();
      if (lines.length > 0) io.write(`${lines.join("\n")}\n`);
      if (args.includes("-c")) sys.klog.clear();
    },
  });
  shell.register("cat", { summary: "print files", usage: "cat FILE...", run: (args, io) => cat(sys, args, io) });
  shell.register("ls", { summary: "list a directory", usage: "ls [DIR...]", run: (args, io) => ls(sys, args, io) });
  shell.register("uptime", { summary: "time since boot and vCPU load", run: (_a, io) => uptime(sys, io) });
  shell.register("uname", {
    summary: "kernel name (-a: all)",
    usage: "uname [-a|-r]",
    run: (args, io) => {
      if (args.includes("-r")) io.write(`${LINUX_RELEASE}\n`);
      else if (args.includes("-a")) io.write(`Linux ${sys.hostname} ${LINUX_RELEASE} #1 SMP PREEMPT aarch64 GNU/Linux\n`);
      else io.write("Linux\n");
    },
  });
  shell.register("hostname", { summary: "print the host name", run: (_a, io) => io.write(`${sys.hostname}\n`) });
  shell.register("xl", { summary: "Xen toolstack (not in a domU; explains why)", usage: "xl list", run: (_a, io) => xl(sys, io) });
  for (const name of ["nginx", "httpd"]) {
    shell.register(name, {
      summary: `ask the host to serve ${WEB_ROOT} over HTTP`,
      run: (_a, io) => webServer(sys, name, io),
    });
  }
  shell.register("poweroff", { summary: "shut the domain down", run: () => sys.ctx.shutdown("poweroff") });
  shell.register("reboot", { summary: "restart the domain", run: () => sys.ctx.shutdown("reboot") });
}
