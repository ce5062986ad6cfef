// End to end, as a new user runs it: `v8r-demo --port N` on real time with
// one Worker per domain, then Ctrl-C, with each app set (`--apps ts`, the
// default, and `--apps c`). One demo per set shared by its tests in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoProcess, eventually, portOpen, readStatus, servedPort, spawnDemo } from "./_spawn-demo.ts";

interface SnapshotEvent {
  readonly domains: readonly { name: string; state: string; vcpus: number; interrupts?: readonly { irq: number; count: number }[] }[];
  readonly link: { state: string };
}

/** Read the SSE stream at `url` until `count` snapshot events came; returns their data. */
async function readSnapshots(url: string, count: number, timeoutMs: number): Promise<SnapshotEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: SnapshotEvent[] = [];
  try {
    const res = await fetch(url, { signal: abort.signal, headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!/^event: snapshot$/m.test(block)) continue;
        const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        events.push(JSON.parse(data) as SnapshotEvent);
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

describe.each(["ts", "c"])("v8r-demo --apps %s on real time (Workers), end to end", (apps) => {
  let demo: DemoProcess;
  let port: number;
  let base: string;

  beforeAll(async () => {
    demo = spawnDemo(["--port", "0", ...(apps === "ts" ? [] : ["--apps", apps])]);
    // Start-up time is a benchmark figure (pnpm bench), not a test bound:
    // a loaded CI machine may take longer than an idle one.
    port = await servedPort(demo, 60_000);
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(() => demo.kill());

  it("serves the status page (200) once it has started", async () => {
    const res = await eventually("the status page answers 200", 60_000, async () => {
      const r = await fetch(`${base}/zephyr-status.html`);
      return r.status === 200 ? r : undefined;
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain("Zephyr status");
    expect(demo.stdout()).toMatch(new RegExp(`\\n  status page +http://127\\.0\\.0\\.1:${port}/zephyr-status\\.html\\n`));
  });

  it("changes the page within 3 s, and seq grows in zephyr-status.json", async () => {
    const first = await (await fetch(`${base}/zephyr-status.html`)).text();
    const firstSeq = (await eventually("a first sample", 5_000, async () => (await (await fetch(`${base}/zephyr-status.json`)).json()) as { latest: { seq: number } | null })).latest?.seq ?? -1;
    const t0 = performance.now();
    await eventually("the page changes", 3_000, async () => ((await (await fetch(`${base}/zephyr-status.html`)).text()) !== first ? true : undefined));
    expect(performance.now() - t0).toBeLessThan(3_000);
    const later = await eventually("seq grows", 3_000, async () => {
      const j = (await (await fetch(`${base}/zephyr-status.json`)).json()) as { latest: { seq: number } | null };
      return (j.latest?.seq ?? -1) > firstSeq ? j : undefined;
    });
    expect(later.latest?.seq).toBeGreaterThan(firstSeq);
    // the file on disk is the one served
    expect(readStatus(demo.rootfs).json.latest?.seq).toBeGreaterThanOrEqual(later.latest?.seq ?? 0);
  });

  it("streams dashboard snapshots over SSE with both domains running and the link up", async () => {
    const events = await readSnapshots(`${base}/events`, 2, 5_000);
    expect(events).toHaveLength(2);
    const last = events[1] as SnapshotEvent;
    expect(last.domains.map((d) => [d.name, d.state, d.vcpus])).toEqual([
      ["zephyr", "running", 1],
      ["linux", "running", 2],
    ]);
    expect(last.link.state).toBe("up");
    const upcalls = (name: string): number => last.domains.find((d) => d.name === name)?.interrupts?.find((l) => l.irq === 31)?.count ?? 0;
    expect(upcalls("linux")).toBeGreaterThan(0); // the samples came in through the event-channel upcall
    expect(upcalls("zephyr")).toBeGreaterThan(0); // and Linux's returned buffers through Zephyr's
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain("<svg");
  });

  it("POST /api/period changes Zephyr's sampling period: the next samples carry per 500, 500 ms apart", async () => {
    const bad = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: 5 }) });
    expect(bad.status).toBe(400);
    const res = await fetch(`${base}/api/period`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: 500 }) });
    expect(res.status).toBe(200);
    const first = await eventually("a sample with per 500", 5_000, () => {
      const latest = readStatus(demo.rootfs).json.latest;
      return latest?.per === 500 ? latest : undefined;
    });
    const next = await eventually("four periods later", 8_000, () => {
      const latest = readStatus(demo.rootfs).json.latest;
      return latest !== null && latest.seq >= first.seq + 4 ? latest : undefined;
    });
    expect(next.per).toBe(500);
    // Zephyr's uptime in ms at each sample, averaged over four or more periods: the timer is
    // deadline-based, so only the first and last samples' scheduling jitter remains (allow 10%)
    const spacing = (next.t - first.t) / (next.seq - first.seq);
    expect(spacing).toBeGreaterThanOrEqual(450);
    expect(spacing).toBeLessThanOrEqual(550);
  });

  it("Ctrl-C (SIGINT to the process group) exits 0 within 2 s, closes the port and leaves no process", async () => {
    const pid = demo.child.pid as number;
    const t0 = performance.now();
    process.kill(-pid, "SIGINT");
    const exit = await demo.exited;
    const ms = performance.now() - t0;
    expect(exit, demo.stdout().slice(-1500) + demo.stderr()).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(2_000);
    // The demo itself has exited; tsx's esbuild service (same process group, only because the
    // test runs the sources) leaves once its pipe closes, which a loaded machine can take a while to notice.
    await eventually("the process group is gone", 5_000, () => (demo.groupAlive() ? undefined : true));
    expect(await portOpen(port)).toBe(false);
    expect(demo.stdout()).toMatch(/SIGINT .*: stopping/);
    expect(demo.stderr()).not.toMatch(/\n\s+at /);
  });
});
