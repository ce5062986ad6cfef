import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerRunArgs, runCommand, shellQuote, type CommandResult } from "./web-server-docker.ts";
import { startWebServer } from "./web-server.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "v8r-docker-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("docker engine", () => {
  it("builds the exact docker run command", () => {
    expect(shellQuote(["docker", ...dockerRunArgs("/srv/html", "127.0.0.1", 8080)])).toBe(
      "docker run --rm -d --name v8r-nginx -p 127.0.0.1:8080:80 -v /srv/html:/usr/share/nginx/html:ro nginx:stable",
    );
    expect(shellQuote(["-v", "/my dir/it's:/x"])).toBe(`-v '/my dir/it'\\''s:/x'`);
  });

  it("prints the command and says no engine is reachable when docker cannot answer", async () => {
    const calls: string[][] = [];
    const lines: string[] = [];
    const runner = async (cmd: string, args: readonly string[]): Promise<CommandResult> => {
      calls.push([cmd, ...args]);
      return { code: 1, stdout: "", stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n" };
    };
    const err = await startWebServer({ root, port: 8099, engine: "docker", runCommand: runner, log: (l) => lines.push(l) }).catch((e: unknown) => e);
    const command = `docker run --rm -d --name v8r-nginx -p 127.0.0.1:8099:80 -v ${root}:/usr/share/nginx/html:ro nginx:stable`;
    expect(lines).toEqual([`[linux-shim] docker engine: ${command}`]);
    expect(err).toMatchObject({ code: "NO_DOCKER_ENGINE" });
    expect((err as Error).message).toContain("no Docker engine is reachable (Cannot connect to the Docker daemon");
    expect((err as Error).message).toContain(command);
    expect(calls).toEqual([["docker", "version", "--format", "{{.Server.Version}}"]]);
  });

  it("runs the container when an engine answers and stops it on close", async () => {
    const calls: string[] = [];
    const runner = async (cmd: string, args: readonly string[]): Promise<CommandResult> => {
      calls.push([cmd, ...args].join(" "));
      return { code: 0, stdout: args[0] === "version" ? "27.0.1\n" : "abc123\n", stderr: "" };
    };
    // No container really starts: the readiness check fails fast and the engine stops the container.
    const err = await startWebServer({ root, port: 0, engine: "docker", runCommand: runner, startTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "START_FAILED" });
    expect(calls[0]).toBe("docker version --format {{.Server.Version}}");
    expect(calls[1]).toMatch(/^docker run --rm -d --name v8r-nginx -p 127\.0\.0\.1:\d+:80 -v .+:\/usr\/share\/nginx\/html:ro nginx:stable$/);
    expect(calls[2]).toBe("docker stop v8r-nginx");
  });

  it("mounts a root with spaces in its path as one -v argument, and prints it quoted", async () => {
    const spaced = join(root, "my web root");
    await mkdir(spaced);
    const calls: (readonly string[])[] = [];
    const lines: string[] = [];
    // the engine answers, the run fails: the arguments docker got are what is checked
    const runner = async (cmd: string, args: readonly string[]): Promise<CommandResult> => {
      calls.push([cmd, ...args]);
      return args[0] === "version" ? { code: 0, stdout: "27.0.1\n", stderr: "" } : { code: 125, stdout: "", stderr: "no such image\n" };
    };
    const err = await startWebServer({ root: spaced, port: 8099, engine: "docker", runCommand: runner, log: (l) => lines.push(l) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "START_FAILED" });
    expect(calls[1]).toEqual(["docker", "run", "--rm", "-d", "--name", "v8r-nginx", "-p", "127.0.0.1:8099:80", "-v", `${spaced}:/usr/share/nginx/html:ro`, "nginx:stable"]);
    expect(lines).toEqual([`[linux-shim] docker engine: docker run --rm -d --name v8r-nginx -p 127.0.0.1:8099:80 -v '${spaced}:/usr/share/nginx/html:ro' nginx:stable`]);
  });

  it("reports a program that cannot be started as exit code -1", async () => {
    const r = await runCommand("/nonexistent/docker", ["version"]);
    expect(r.code).toBe(-1);
    expect(r.stderr).toContain("ENOENT");
  });

  it("without an injected runner and no engine, fails clearly", async (ctx) => {
    const probe = await runCommand("docker", ["version", "--format", "{{.Server.Version}}"]);
    if (probe.code === 0 && probe.stdout.trim() !== "") ctx.skip(); // an engine runs here: nothing to prove
    const err = await startWebServer({ root, port: 0, engine: "docker", startTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NO_DOCKER_ENGINE" });
  });
});
