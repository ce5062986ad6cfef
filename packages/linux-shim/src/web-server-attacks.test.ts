// The built-in server under attack: each test is a regression for a way it
// was once broken (see issue 17).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rawGet, serverEndClosed } from "../test/http-raw.ts";
import { startLimitedChild } from "../test/_limited-child.ts";
import { startSymlinkSwapper } from "../test/_symlink-swapper.ts";
import { startWebServer, type WebServer } from "./web-server.ts";

let base: string;
let root: string;
let server: WebServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "v8r-web-attack-"));
  root = join(base, "html");
  await mkdir(root);
  await mkdir(join(base, "held"));
  await mkdir(join(base, "outdir"));
  await writeFile(join(base, "secret.txt"), "TOP-SECRET");
  await writeFile(join(base, "outdir", "file.txt"), "TOP-SECRET-DIR");
  await writeFile(join(base, "held", "file.txt"), "inside-dir");
  server = await startWebServer({ root, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

/** GET `path` at least `total` times, `concurrency` at a time, and until `more(bodies)` is false; count the bodies. */
async function hammer(path: string, total: number, concurrency: number, more: (bodies: Map<string, number>) => boolean): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const client = async () => {
    while (next < total || more(seen)) {
      next++;
      const res = await fetch(new URL(path, server.url), { signal: AbortSignal.timeout(10_000) });
      const body = res.status === 200 ? await res.text() : (await res.arrayBuffer(), `status ${res.status}`);
      seen.set(body, (seen.get(body) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return seen;
}

describe("builtin engine under attack", () => {
  it.each([
    ["a file", "file", "/swap.txt", "inside"],
    ["a directory", "dir", "/swapdir/file.txt", "inside-dir"],
  ] as const)("never serves a file outside the root while %s is swapped with a link (regression: check-then-open race)", async (_, kind, path, inside) => {
    const swapper = startSymlinkSwapper(kind === "file"
      ? { kind, name: join(root, "swap.txt"), inside, outside: join(base, "secret.txt") }
      : { kind, name: join(root, "swapdir"), inside: join(base, "held"), outside: join(base, "outdir") });
    let seen: Map<string, number>;
    try {
      seen = await hammer(path, 1500, 16, (bodies) => swapper.swaps() < 500 || !bodies.has(inside));
    } finally {
      expect(await swapper.stop()).toBeGreaterThanOrEqual(500);
    }
    const bodies = [...seen.keys()];
    expect(bodies.filter((b) => b.includes("TOP-SECRET"))).toEqual([]);
    expect(seen.get(inside) ?? 0).toBeGreaterThan(0); // the race was really run: the inside target was served too
    expect(bodies.every((b) => b === inside || b === "status 404")).toBe(true);
  }, 120_000);
});

/** A raw connection and when it was closed by the server. */
function connectRaw(port: number): { socket: Socket; closed: Promise<number>; received: () => string; isClosed: () => boolean } {
  const socket = connect({ host: "127.0.0.1", port });
  const opened = Date.now();
  let text = "";
  socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
  socket.on("error", () => undefined);
  let isClosed = false;
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - opened)));
  void closed.then(() => (isClosed = true));
  return { socket, closed, received: () => text, isClosed: () => isClosed };
}

describe("builtin engine resource limits", () => {
  let quick: WebServer;
  beforeAll(async () => {
    await writeFile(join(root, "page.html"), "<!DOCTYPE html><p>page</p>");
    await writeFile(join(root, "big.bin"), Buffer.alloc(8 << 20, 1));
    quick = await startWebServer({ root, port: 0, limits: { idleTimeoutMs: 300, keepAliveTimeoutMs: 200, headersTimeoutMs: 500, requestTimeoutMs: 800 } });
  });
  afterAll(() => quick?.close());

  it("closes a new connection that sends nothing (regression: idle connections stayed open)", async () => {
    const silent = Array.from({ length: 50 }, () => connectRaw(quick.port));
    const times = await Promise.all(silent.map((c) => c.closed));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(250);
  });

  it("closes a keep-alive connection idle after its response", async () => {
    const c = connectRaw(quick.port);
    c.socket.write("GET /page.html HTTP/1.1\r\nHost: x\r\n\r\n");
    await c.closed;
    expect(c.received()).toContain("<p>page</p>");
  });

  it("closes a slowloris client that trickles its head", async () => {
    const c = connectRaw(quick.port);
    const head = "GET /page.html HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200);
    let i = 0;
    const drip = setInterval(() => c.socket.writable && c.socket.write(head[i++ % head.length] ?? "a"), 50);
    const after = await c.closed;
    clearInterval(drip);
    expect(after).toBeLessThan(20_000); // long before the drip would have finished its head
    expect(c.received()).not.toContain("<p>page</p>");
  });

  it("closes a client that stops reading a large response, and keeps serving", async () => {
    const c = connectRaw(quick.port);
    c.socket.pause();
    c.socket.write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    if (c.socket.connecting) await new Promise((resolve) => c.socket.once("connect", resolve));
    const clientPort = c.socket.localPort ?? 0;
    await vi.waitFor(() => expect(serverEndClosed(quick.port, clientPort)).toBe(true), { timeout: 10_000, interval: 50 });
    expect((await rawGet(quick.port, "/page.html")).status).toBe(200);
    c.socket.destroy();
  });

  it("caps connections: refuses at once when full, then lets a new one replace the one idle longest", async () => {
    const capped = await startWebServer({ root, port: 0, limits: { maxConnections: 4 } });
    try {
      const held = Array.from({ length: 4 }, () => connectRaw(capped.port));
      await vi.waitFor(async () => {
        const extra = connectRaw(capped.port);
        extra.socket.write("GET /page.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        await extra.closed;
        expect(extra.received()).toContain("<p>page</p>"); // once the held ones have idled for a second
      }, { timeout: 15_000, interval: 100 });
      expect(held.filter((h) => h.isClosed()).length).toBe(1); // the one idle longest went
      for (const h of held) h.socket.destroy();
    } finally {
      await capped.close();
    }
  });

  it("serves 1,000 concurrent GETs, all whole", async () => {
    const bodies = await Promise.all(Array.from({ length: 1000 }, () => rawGet(server.port, "/page.html", "GET", "", 60_000)));
    expect(bodies.filter((b) => b.status !== 200 || b.body !== "<!DOCTYPE html><p>page</p>")).toEqual([]);
  });
});

describe("builtin engine against descriptor exhaustion", () => {
  it("keeps descriptors for the program it serves: status writes go on while 600 connections press on a 256-descriptor process", async () => {
    const dir = await mkdtemp(join(tmpdir(), "v8r-web-fd-"));
    const child = startLimitedChild("./_fd-budget-child.ts", 256, [dir]);
    try {
      const { port } = await child.next<{ port: number }>();
      const attack = Array.from({ length: 600 }, () => connectRaw(port));
      // Every connection is either held or already closed by the server (refused, or accept failed).
      await vi.waitFor(() => expect(attack.filter((c) => c.isClosed()).length).toBeGreaterThanOrEqual(600 - 256), { timeout: 20_000, interval: 50 });
      const seqNow = async () => Number(await readFile(join(dir, "html", "status.txt"), "utf8").catch(() => "0"));
      const start = await seqNow();
      await vi.waitFor(async () => expect(await seqNow()).toBeGreaterThanOrEqual(start + 25), { timeout: 15_000, interval: 50 });
      // the page is still served: a new connection takes the place of an idle attacker
      await vi.waitFor(async () => expect((await rawGet(port, "/status.txt", "GET", "", 2000)).status).toBe(200), { timeout: 15_000, interval: 100 });
      expect(attack.filter((c) => !c.isClosed()).length).toBeGreaterThan(0); // the attack really held connections
      for (const c of attack) c.socket.destroy();
      child.send({ cmd: "report" });
      const report = await child.next<{ writes: number; failures: number; retries: number; firstFailure: string }>((r) => "writes" in r);
      expect(report.firstFailure).toBe("");
      expect(report).toMatchObject({ failures: 0, retries: 0 }); // never even short of a descriptor
    } finally {
      child.send({ cmd: "exit" });
      await child.exit();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
