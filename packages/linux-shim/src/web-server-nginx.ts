/** Internal: the `nginx` engine, a real nginx binary with a generated config. */
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { nginxConfig } from "./_nginx-config.ts";
import { portInUse, probePort, waitForHttp } from "./_net.ts";
import { WebServerError } from "./web-server-error.ts";
import { formatBaseUrl, type ResolvedWebServerOptions, type WebServer } from "./web-server-options.ts";

const FALLBACK = "/usr/sbin/nginx";

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Find the nginx binary: the given path, else `nginx` on PATH, else /usr/sbin/nginx. */
export async function findNginx(explicit?: string, pathEnv = process.env.PATH ?? "", fallback = FALLBACK): Promise<string> {
  if (explicit !== undefined) {
    if (await executable(explicit)) return explicit;
    throw new WebServerError("ENGINE_MISSING", `[linux-shim] cannot start the nginx engine: the nginx binary given (v8r-demo --nginx PATH, nginxPath in the API), ${explicit}, is not an executable file`);
  }
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "nginx");
    if (await executable(candidate)) return candidate;
  }
  if (await executable(fallback)) return fallback;
  throw new WebServerError(
    "ENGINE_MISSING",
    `[linux-shim] cannot start the nginx engine: no nginx binary found (looked for "nginx" on PATH and ${fallback}); install it (Debian: apt-get install nginx) or give its path (v8r-demo --nginx PATH; nginxPath in the API)`,
  );
}

function pipeLines(child: ChildProcess, log: (line: string) => void, keep: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "") continue;
        keep.push(line);
        if (keep.length > 20) keep.shift();
        log(line);
      }
    });
  }
}

const SYSLOG_PREFIX = /^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:nginx: )?/;

/** Receive nginx's access log (syslog over UDP on loopback) and pass each line on. */
function accessLogReceiver(log: (line: string) => void, keep: string[]): Promise<{ port: number; socket: UdpSocket }> {
  return new Promise((resolveReceiver, reject) => {
    const socket = createSocket("udp4");
    socket.on("message", (msg) => {
      const line = msg.toString("utf8").replace(SYSLOG_PREFIX, "").trimEnd();
      keep.push(line);
      if (keep.length > 20) keep.shift();
      log(line);
    });
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      socket.unref();
      resolveReceiver({ port: socket.address().port, socket });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill("SIGQUIT"); // graceful shutdown
  });
}

/** Start the nginx engine. */
export async function startNginxServer(opts: ResolvedWebServerOptions): Promise<WebServer> {
  const binary = await findNginx(opts.nginxPath);
  const port = await probePort(opts.host, opts.port);
  const prefix = await mkdtemp(join(tmpdir(), "v8r-nginx-"));
  await mkdir(join(prefix, "tmp"));
  const conf = join(prefix, "nginx.conf");
  const user = process.getuid?.() === 0 ? "root" : undefined;
  const recent: string[] = [];
  const accessLog = await accessLogReceiver(opts.log, recent);
  await writeFile(conf, nginxConfig({ prefix, root: opts.root, host: opts.host, port, user, accessLogPort: accessLog.port, limits: opts.limits }));
  const child = spawn(binary, ["-e", "stderr", "-c", conf, "-p", prefix, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  pipeLines(child, opts.log, recent);
  const cleanup = async () => {
    await stop(child);
    accessLog.socket.close();
    await rm(prefix, { recursive: true, force: true });
  };
  let exited: string | undefined;
  let spawnError: Error | undefined;
  child.once("error", (err) => (spawnError = err));
  child.once("exit", (code, signal) => (exited = `nginx exited (${signal ?? `code ${code}`})`));
  const url = formatBaseUrl(opts.host, port);
  try {
    await waitForHttp(`${url}.v8r-ready`, opts.startTimeoutMs, () => spawnError?.message ?? exited);
  } catch (cause) {
    await cleanup();
    if (recent.some((l) => l.includes("Address already in use"))) throw portInUse(opts.host, port, cause);
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new WebServerError("START_FAILED", `[linux-shim] nginx (${binary}) did not start: ${why}${recent.length ? `; its last output: ${recent.slice(-3).join(" | ")}` : ""}`, { cause });
  }
  let closing: Promise<void> | undefined;
  return {
    url, port, host: opts.host, engine: "nginx",
    close() {
      closing ??= cleanup();
      return closing;
    },
  };
}
