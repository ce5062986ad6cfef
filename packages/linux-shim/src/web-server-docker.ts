/** Internal: the `docker` engine, the official nginx image with the directory mounted read-only. */
import { spawn } from "node:child_process";
import { probePort, waitForHttp } from "./_net.ts";
import { WebServerError } from "./web-server-error.ts";
import { formatBaseUrl, type ResolvedWebServerOptions, type WebServer } from "./web-server-options.ts";

/** What a finished command produced. */
export interface CommandResult {
  /** Exit code; -1 when the program could not be started. */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error (or the spawn error). */
  readonly stderr: string;
}

/** Runs a program with arguments to completion (never through a shell). */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** The container name the demo uses. */
export const DOCKER_CONTAINER_NAME = "v8r-nginx";

/** The image the demo uses. */
export const DOCKER_IMAGE = "nginx:stable";

/** Run a program, collecting its output; a program that cannot start gives code -1. */
export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolveRun) => {
    const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", (err) => resolveRun({ code: -1, stdout, stderr: err.message }));
    child.once("close", (code) => resolveRun({ code: code ?? -1, stdout, stderr }));
  });

/** The `docker run` arguments for serving `root` on `host:port`. */
export function dockerRunArgs(root: string, host: string, port: number): string[] {
  const publish = host.includes(":") ? `[${host}]:${port}:80` : `${host}:${port}:80`;
  return ["run", "--rm", "-d", "--name", DOCKER_CONTAINER_NAME, "-p", publish, "-v", `${root}:/usr/share/nginx/html:ro`, DOCKER_IMAGE];
}

/** A command line a POSIX shell reads back as the same arguments. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./[\]-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** Start the docker engine. */
export async function startDockerServer(opts: ResolvedWebServerOptions): Promise<WebServer> {
  const run = opts.runCommand ?? runCommand;
  const port = opts.port === 0 ? await probePort(opts.host, 0) : opts.port;
  const args = dockerRunArgs(opts.root, opts.host, port);
  const commandLine = shellQuote(["docker", ...args]);
  opts.log(`[linux-shim] docker engine: ${commandLine}`);
  const probe = await run("docker", ["version", "--format", "{{.Server.Version}}"]);
  if (probe.code !== 0 || probe.stdout.trim() === "") {
    const detail = probe.stderr.trim().split("\n")[0] ?? "";
    throw new WebServerError(
      "NO_DOCKER_ENGINE",
      `[linux-shim] cannot start the docker engine: no Docker engine is reachable${detail ? ` (${detail})` : ""}; with one running, this serves the page: ${commandLine}`,
    );
  }
  const started = await run("docker", args);
  if (started.code !== 0) {
    throw new WebServerError("START_FAILED", `[linux-shim] docker run failed (exit ${started.code}): ${started.stderr.trim()}; command: ${commandLine}`);
  }
  const stopContainer = async () => {
    const r = await run("docker", ["stop", DOCKER_CONTAINER_NAME]);
    if (r.code !== 0) opts.log(`[linux-shim] docker stop ${DOCKER_CONTAINER_NAME} failed: ${r.stderr.trim()}`);
  };
  const url = formatBaseUrl(opts.host, port);
  try {
    await waitForHttp(url, opts.startTimeoutMs, () => undefined);
  } catch (cause) {
    await stopContainer();
    throw new WebServerError("START_FAILED", `[linux-shim] the nginx container did not answer on ${url}`, { cause });
  }
  let closing: Promise<void> | undefined;
  return {
    url, port, host: opts.host, engine: "docker",
    close() {
      closing ??= stopContainer();
      return closing;
    },
  };
}
