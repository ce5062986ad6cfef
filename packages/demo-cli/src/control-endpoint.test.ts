import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { connect } from "node:net";
import { PassThrough } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ControlError, ControlErrorCode, runXl } from "./control-client.ts";
import { ControlRefusal, startControlEndpoint, type ControlEndpoint, type ControlHandlers, type XlAction } from "./control-endpoint.ts";
import { attachXlConsole } from "./xl-console.ts";
import { controlStatePath, readControlState, writeControlState } from "./control-state.ts";
import type { DomainInfo } from "./xl-list.ts";

let dir: string;
let endpoint: ControlEndpoint | undefined;
const env = (): Record<string, string> => ({ XDG_RUNTIME_DIR: dir });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "v8r-demo-control-test-"));
});

afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  await rm(dir, { recursive: true, force: true });
});

function handlers() {
  const domains: DomainInfo[] = [
    { name: "zephyr", domid: 1, memKiB: 16_384, vcpus: 1, state: "running", cpuTimeS: 1.5, uptimeS: 75 },
    { name: "linux", domid: 2, memKiB: 524_288, vcpus: 2, state: "blocked", cpuTimeS: 0.25, uptimeS: 75 },
  ];
  const output = new Set<(text: string) => void>();
  const ends = new Set<() => void>();
  const typed: string[] = [];
  return {
    list: () => domains,
    act: vi.fn<(action: XlAction, name: string) => Promise<string>>(async (action, name) => `${action} ${name} done`),
    createFromFile: vi.fn<(file: string) => Promise<string>>(async (file) => `Parsing config from ${file}\ncreated domain c (id 3)`),
    console: vi.fn((_name: string) => ({
      replay: "earlier line\nprompt# ",
      onOutput: (cb: (text: string) => void) => (output.add(cb), () => void output.delete(cb)),
      onEnd: (cb: () => void) => (ends.add(cb), () => void ends.delete(cb)),
      input: (bytes: Uint8Array) => void typed.push(new TextDecoder().decode(bytes)),
    })),
    /** Test side of the console: print, end, and what was typed. */
    out: (text: string) => output.forEach((cb) => cb(text)),
    end: () => ends.forEach((cb) => cb()),
    typed,
  } satisfies ControlHandlers & Record<string, unknown>;
}

/** Send `head` verbatim to the endpoint at `url`; resolve with what came back. */
function rawRequest(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(head));
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => resolve(text));
  });
}

async function caught(p: Promise<unknown>): Promise<ControlError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ControlError);
  return err as ControlError;
}

describe("controlStatePath", () => {
  it.each([
    [{ XDG_RUNTIME_DIR: "/run/user/1000" }, `/run/user/1000/v8r-demo/demo-${process.pid}.json`],
    [{ XDG_RUNTIME_DIR: "" }, join(tmpdir(), `v8r-demo-${process.getuid?.() ?? ""}`, `demo-${process.pid}.json`)],
    [{}, join(tmpdir(), `v8r-demo-${process.getuid?.() ?? ""}`, `demo-${process.pid}.json`)],
  ])("with env %j is %s (one file per demo process)", (e, path) => {
    expect(controlStatePath({ env: e })).toBe(path);
  });

  it("names another demo's file by its pid", () => {
    expect(controlStatePath({ env: { XDG_RUNTIME_DIR: "/run" } }, 4242)).toBe("/run/v8r-demo/demo-4242.json");
  });

  it("prefers an explicit file", () => {
    expect(controlStatePath({ stateFile: "/x/y.json", env: { XDG_RUNTIME_DIR: "/run" } })).toBe("/x/y.json");
  });
});

describe("control endpoint round trip", () => {
  it("writes a 0600 state file in a 0700 directory with a loopback URL and a token", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    expect(endpoint.stateFile).toBe(join(dir, "v8r-demo", `demo-${process.pid}.json`));
    expect((await stat(endpoint.stateFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "v8r-demo"))).mode & 0o777).toBe(0o700);
    const state = await readControlState(endpoint.stateFile);
    expect(state?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state?.token.length).toBeGreaterThanOrEqual(32);
    expect(state?.pid).toBe(process.pid);
  });

  it("lists the domains like xl list", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const text = await runXl({ action: "list" }, { env: env() });
    expect(text).toMatch(/^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)\s+Uptime\n/);
    expect(text).toMatch(/\nzephyr\s+1\s+16\s+1\s+r-----\s+1\.5\s+0:01:15\n/);
    expect(text).toMatch(/\nlinux\s+2\s+512\s+2\s+-b----\s+0\.3\s+0:01:15\n$/);
  });

  it.each(["destroy", "restart", "shutdown", "reboot", "pause", "unpause", "create"] as const)("%s calls the handler with the domain name and prints its answer", async (action) => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    expect(await runXl({ action, domain: "zephyr" }, { env: env() })).toBe(`${action} zephyr done\n`);
    expect(h.act).toHaveBeenCalledExactlyOnceWith(action, "zephyr");
  });

  it("refuses an unknown domain, naming the ones that exist (create names domains that are not listed)", async () => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    const err = await caught(runXl({ action: "destroy", domain: "dom0" }, { env: env() }));
    expect(err.code).toBe(ControlErrorCode.noSuchDomain);
    expect(err.message).toBe('[v8r-demo] xl destroy: no domain named "dom0" (domains: zephyr, linux)');
    expect(h.act).not.toHaveBeenCalled();
    await runXl({ action: "create", domain: "gone" }, { env: env() });
    expect(h.act).toHaveBeenCalledExactlyOnceWith("create", "gone");
  });

  it("xl create FILE sends the path, and a refusal comes back with its status", async () => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    expect(await runXl({ action: "create", file: "/tmp/c.dts" }, { env: env() })).toBe("Parsing config from /tmp/c.dts\ncreated domain c (id 3)\n");
    h.act.mockRejectedValueOnce(new ControlRefusal(409, "xl pause zephyr: it is paused, not running"));
    const err = await caught(runXl({ action: "pause", domain: "zephyr" }, { env: env() }));
    expect([err.code, err.message]).toEqual([ControlErrorCode.failed, "[v8r-demo] xl pause: xl pause zephyr: it is paused, not running"]);
  });

  it("xl console shows what the console printed, then its output, sends what is typed, and ends with the domain", async () => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    const stdin = new PassThrough();
    let shown = "";
    const attached = attachXlConsole("linux", undefined, { stdout: { write: (t: string) => (shown += t) }, stderr: { write: () => true }, stdin }, { env: env() });
    await vi.waitFor(() => expect(shown).toBe("earlier line\nprompt# "));
    h.out("uptime output\n");
    await vi.waitFor(() => expect(shown).toContain("uptime output\n"));
    stdin.write("uptime\n");
    await vi.waitFor(() => expect(h.typed).toEqual(["uptime\n"]));
    h.end();
    expect(await attached).toBe("ended");
  });

  it("Ctrl-] detaches xl console; what comes before it is still sent", async () => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    const stdin = new PassThrough();
    let notes = "";
    const attached = attachXlConsole("linux", undefined, { stdout: { write: () => true }, stderr: { write: (t: string) => (notes += t) }, stdin }, { env: env() });
    await vi.waitFor(() => expect(h.console).toHaveBeenCalled());
    stdin.write(Buffer.from([0x6c, 0x73, 0x1d]));
    expect(await attached).toBe("detached");
    await vi.waitFor(() => expect(h.typed).toEqual(["ls"]));
    expect(notes).toContain("detached from linux's console");
  });

  it("reports a handler failure", async () => {
    const h = handlers();
    h.act.mockRejectedValueOnce(new Error("restart is not supported yet"));
    endpoint = await startControlEndpoint(h, { env: env() });
    const err = await caught(runXl({ action: "restart", domain: "linux" }, { env: env() }));
    expect(err.code).toBe(ControlErrorCode.failed);
    expect(err.message).toContain("restart is not supported yet");
  });

  it("refuses requests without the token", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const res = await fetch(`${endpoint.url}/v1/domains`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${endpoint.url}/v1/domains`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  it.each([
    ["/v1/domains/%E0%A4%A/destroy", 400],
    ["//x/v1/domains", 400],
  ])("answers a bad target %s with %d, never a 5xx", async (target, status) => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const token = (await readControlState(endpoint.stateFile))?.token ?? "";
    const res = await rawRequest(endpoint.url, `POST ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    expect(res).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  });

  it("answers a body over 4 KiB with 413 (as the dashboard), naming the limit", async () => {
    const h = handlers();
    endpoint = await startControlEndpoint(h, { env: env() });
    const token = (await readControlState(endpoint.stateFile))?.token ?? "";
    const res = await fetch(`${endpoint.url}/v1/domains`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ file: `/${"a".repeat(5000)}` }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ ok: false, error: "the request body is over 4096 bytes" });
    expect(h.createFromFile).not.toHaveBeenCalled();
  });

  it("removes the state file on close, so xl then says no demo runs", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const file = endpoint.stateFile;
    await endpoint.close();
    endpoint = undefined;
    await expect(stat(file)).rejects.toThrow();
    const err = await caught(runXl({ action: "list" }, { env: env() }));
    expect(err.code).toBe(ControlErrorCode.noDemo);
    expect(err.message).toContain("no running demo found");
  });

  it("leaves a state file that another demo wrote in the meantime", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const file = endpoint.stateFile;
    const other = { version: 1, pid: 1, url: "http://127.0.0.1:1", token: "other", startedAt: "" };
    await writeFile(file, JSON.stringify(other));
    await endpoint.close();
    endpoint = undefined;
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(other);
  });

  it("removes the file of a demo that died without removing it, and says no demo runs", async () => {
    await mkdir(join(dir, "v8r-demo"), { recursive: true });
    const pid = 2 ** 22 + 12_345;
    const file = join(dir, "v8r-demo", `demo-${pid}.json`);
    await writeFile(file, JSON.stringify({ version: 1, pid, url: "http://127.0.0.1:9", token: "t", startedAt: "" }));
    const err = await caught(runXl({ action: "list" }, { env: env(), timeoutMs: 2000 }));
    expect(err.code).toBe(ControlErrorCode.noDemo);
    await expect(stat(file)).rejects.toThrow();
  });

  it("says the demo is gone when an explicit state file points at a dead process", async () => {
    const file = join(dir, "state.json");
    await writeFile(file, JSON.stringify({ version: 1, pid: 2 ** 22 + 12_345, url: "http://127.0.0.1:9", token: "t", startedAt: "" }));
    const err = await caught(runXl({ action: "list" }, { stateFile: file, timeoutMs: 2000 }));
    expect(err.code).toBe(ControlErrorCode.stale);
    expect(err.message).toContain("is no longer running");
  });

  it("refuses an explicit state file that is not one, and skips such a file among the demos' files", async () => {
    await writeFile(join(dir, "state.json"), "{}");
    await expect(runXl({ action: "list" }, { stateFile: join(dir, "state.json") })).rejects.toThrow("is not a v8r-demo control file");
    await mkdir(join(dir, "v8r-demo"), { recursive: true });
    await writeFile(join(dir, "v8r-demo", "demo-1.json"), "{}");
    expect((await caught(runXl({ action: "list" }, { env: env() }))).code).toBe(ControlErrorCode.noDemo);
  });
});

describe("several demos on one machine", () => {
  let other: ControlEndpoint | undefined;
  let sleeper: ChildProcess | undefined;

  afterEach(async () => {
    await other?.close();
    other = undefined;
    sleeper?.kill();
    sleeper = undefined;
  });

  /** This process's endpoint, plus a second demo's: another endpoint whose state file names a live child process as its pid. */
  async function twoDemos(): Promise<{ ours: ControlHandlers; theirs: ReturnType<typeof handlers>; theirPid: number }> {
    const ours = handlers();
    endpoint = await startControlEndpoint(ours, { env: env() });
    const theirs = handlers();
    theirs.list = () => [{ name: "other", domid: 7, memKiB: 1024, vcpus: 1, state: "running", cpuTimeS: 0 }];
    other = await startControlEndpoint(theirs, { stateFile: join(dir, "their-endpoint.json") });
    sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
    const theirPid = sleeper.pid as number;
    const state = await readControlState(other.stateFile);
    await writeControlState(controlStatePath({ env: env() }, theirPid), { ...(state as NonNullable<typeof state>), pid: theirPid });
    return { ours, theirs, theirPid };
  }

  it("asks which one when several run, naming their pids", async () => {
    const { theirPid } = await twoDemos();
    const err = await caught(runXl({ action: "list" }, { env: env() }));
    expect(err.code).toBe(ControlErrorCode.ambiguous);
    expect(err.message).toContain("2 demos are running, say which with --demo PID");
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(`pid ${theirPid}`);
  });

  it("--demo PID picks one; an unknown pid is refused, naming the running ones", async () => {
    const { theirs, theirPid } = await twoDemos();
    expect(await runXl({ action: "list", demo: theirPid }, { env: env() })).toMatch(/\nother\s+7\s/);
    expect(await runXl({ action: "list", demo: process.pid }, { env: env() })).toMatch(/\nzephyr\s+1\s/);
    expect(await runXl({ action: "destroy", domain: "other", demo: theirPid }, { env: env() })).toBe("destroy other done\n");
    expect(theirs.act).toHaveBeenCalledExactlyOnceWith("destroy", "other");
    const err = await caught(runXl({ action: "list", demo: 1 }, { env: env() }));
    expect(err.code).toBe(ControlErrorCode.noDemo);
    expect(err.message).toContain(`no running demo has pid 1 (running: pid `);
  });

  it("one demo's exit leaves the other's file, and xl then finds the one left", async () => {
    const { theirPid } = await twoDemos();
    await endpoint?.close();
    endpoint = undefined;
    const theirFile = controlStatePath({ env: env() }, theirPid);
    expect((await readControlState(theirFile))?.pid).toBe(theirPid);
    expect(await runXl({ action: "list" }, { env: env() })).toMatch(/\nother\s+7\s/);
  });
});

describe("control endpoint under a local flood", () => {
  it("keeps at most 16 connections and still answers xl", async () => {
    endpoint = await startControlEndpoint(handlers(), { env: env() });
    const { hostname, port } = new URL(endpoint.url);
    const flood = Array.from({ length: 40 }, () => connect({ host: hostname, port: Number(port) }));
    const closed = flood.map((s) => new Promise<void>((resolve) => s.once("close", () => resolve())));
    for (const s of flood) s.on("error", () => undefined);
    // the ones beyond the cap are closed on arrival
    await vi.waitFor(() => expect(flood.filter((s) => s.destroyed).length).toBeGreaterThanOrEqual(24), { timeout: 10_000, interval: 20 });
    for (const s of flood) s.destroy();
    await Promise.all(closed);
    expect(await runXl({ action: "list" }, { env: env() })).toContain("zephyr");
  });
});
