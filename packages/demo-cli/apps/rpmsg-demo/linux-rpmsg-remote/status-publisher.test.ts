import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { MemoryRootFs } from "@v8r/linux-shim";
import { NodeRootFs } from "@v8r/linux-shim/node";
import { VirtualClock } from "@v8r/fvp-core";
import { HistoryStore } from "./_history-store.ts";
import { StatusHistory } from "./status-history.ts";
import { StatusPublisher } from "./status-publisher.ts";

const DIR = "/usr/share/nginx/html";
const UPDATES = 1000;

function sample(seq: number) {
  return { v: 1 as const, seq, boot: "cafe0001", t: seq * 1000, cpu: (seq * 7) % 100, per: 1000,
    thr: Array.from({ length: (seq % 9) + 1 }, (_, k) => ({ name: `thread-${k}`, state: "ready", cpu: k })) };
}

interface ReaderResult { reads: number; partial: number; missing: number; examples: string[] }

/** A host-directory root whose writes take 30 ms longer: a slow disk, so an earlier write is still on its way. */
function slowRootFs(dir: string): NodeRootFs {
  const slow = new NodeRootFs(dir);
  const write = slow.writeFile.bind(slow);
  slow.writeFile = async (path, data) => {
    await new Promise((r) => setTimeout(r, 30));
    return write(path, data);
  };
  return slow;
}
describe("StatusPublisher", () => {
  it("writes the page and the JSON under /usr/share/nginx/html, creating the directory", async () => {
    const fs = new MemoryRootFs();
    const history = new StatusHistory();
    history.add(sample(0), 0);
    const publisher = new StatusPublisher(fs, { now: () => 500 });
    await publisher.publish(history);
    expect(publisher.htmlPath).toBe(`${DIR}/zephyr-status.html`);
    expect(await fs.readdir(DIR)).toEqual(["zephyr-status.html", "zephyr-status.json"]);
    expect(await fs.readText(publisher.htmlPath)).toContain("0.5 s ago");
    expect(JSON.parse(await fs.readText(publisher.jsonPath))).toMatchObject({ counters: { received: 1 } });
  });

  it("keeps the newest state when publishes overlap", async () => {
    const fs = new MemoryRootFs();
    const publisher = new StatusPublisher(fs);
    const histories = [1, 2, 3].map((n) => {
      const h = new StatusHistory();
      for (let i = 0; i < n; i++) h.add(sample(i), i);
      return h;
    });
    await Promise.all(histories.map((h) => publisher.publish(h)));
    expect(JSON.parse(await fs.readText(publisher.jsonPath)).counters.received).toBe(3);
    expect(publisher.published).toBe(3);
  });

  it("lets a second publisher on the same host directory (a restarted Linux) write only after the first one's pending write", async () => {
    const dir = await mkdtemp(join(tmpdir(), "v8r-publish-order-"));
    try {
      const slow = slowRootFs(dir);
      const histories = [1, 2].map((n) => {
        const h = new StatusHistory();
        for (let i = 0; i < n; i++) h.add(sample(i), i);
        return h;
      });
      const old = new StatusPublisher(slow).publish(histories[0] as StatusHistory);
      const next = new StatusPublisher(new NodeRootFs(dir)).publish(histories[1] as StatusHistory);
      await Promise.all([old, next]);
      const fs = new NodeRootFs(dir);
      expect(JSON.parse(await fs.readText(`${DIR}/zephyr-status.json`)).counters.received).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("renders a publish when its turn comes, and a publish of the same history asked while one waits joins it", async () => {
    const fs = new MemoryRootFs();
    const publisher = new StatusPublisher(fs);
    const history = new StatusHistory();
    history.add(sample(0), 0);
    const first = publisher.publish(history);
    await Promise.resolve(); // its turn comes at once (nothing before it): it renders seq 0 only
    const second = publisher.publish(history); // waits for its turn
    history.add(sample(1), 1000);
    const third = publisher.publish(history);
    history.add(sample(2), 2000); // after every ask, before the waiting write starts: it is written all the same
    expect(third).toBe(second);
    await publisher.idle();
    await Promise.all([first, second]);
    expect(publisher.published).toBe(2);
    const json = JSON.parse(await fs.readText(publisher.jsonPath));
    expect(json.counters.received).toBe(3);
    // the page and the JSON of one write show the same state
    expect(await fs.readText(publisher.htmlPath)).toMatch(/<dt>Samples received<\/dt><dd>3<\/dd>/);
    const fourth = publisher.publish(history); // none waits any more: a new write
    expect(fourth).not.toBe(second);
    await fourth;
    expect(publisher.published).toBe(3);
  });

  it("lets a restarted Linux read its counters only after the previous instance's last save landed (settled)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "v8r-publish-restore-"));
    try {
      const slow = slowRootFs(dir);
      const before = new StatusHistory();
      for (let i = 0; i < 3; i++) before.add(sample(i), i * 1000);
      const old = new StatusPublisher(slow, { store: new HistoryStore(slow) }).publish(before); // still on its way
      const fs = new NodeRootFs(dir);
      const next = new StatusPublisher(fs);
      const after = new StatusHistory();
      await new HistoryStore(fs).restore(after, new VirtualClock(), () => {}, () => next.settled());
      expect(after.counters.received).toBe(3);
      await old;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a file name with a slash", () => {
    expect(() => new StatusPublisher(new MemoryRootFs(), { htmlName: "../x.html" })).toThrow(TypeError);
  });

  it(`a reader polling MemoryRootFs during ${UPDATES} updates never sees a partial or missing file`, async () => {
    const fs = new MemoryRootFs();
    const publisher = new StatusPublisher(fs);
    const history = new StatusHistory();
    history.add(sample(0), 0);
    await publisher.publish(history);
    let done = false;
    let reads = 0;
    const reader = (async () => {
      while (!done) {
        const html = await fs.readText(publisher.htmlPath);
        const json = await fs.readText(publisher.jsonPath);
        expect(html.endsWith("</html>\n")).toBe(true);
        JSON.parse(json);
        reads++;
      }
    })();
    for (let i = 1; i <= UPDATES; i++) {
      history.add(sample(i), i * 1000);
      await publisher.publish(history);
    }
    done = true;
    await reader;
    expect(reads).toBeGreaterThan(UPDATES / 2);
    expect(await fs.readdir(DIR)).toEqual(["zephyr-status.html", "zephyr-status.json"]);
  });

  it(`a reader thread polling a host directory during ${UPDATES} updates never sees a partial or missing file`, async () => {
    const host = await mkdtemp(join(tmpdir(), "v8r-atomic-"));
    const fs = new NodeRootFs(host);
    const publisher = new StatusPublisher(fs);
    const history = new StatusHistory();
    history.add(sample(0), 0);
    await publisher.publish(history);
    const stop = new SharedArrayBuffer(4);
    const files = [fs.hostPath(publisher.htmlPath), fs.hostPath(publisher.jsonPath)];
    const worker = new Worker(new URL("./test/_poll-reader.mjs", import.meta.url), { workerData: { files, stop } });
    const result = new Promise<ReaderResult>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await new Promise<void>((resolve) => worker.once("online", () => resolve()));
    for (let i = 1; i <= UPDATES; i++) {
      history.add(sample(i), i * 1000);
      await publisher.publish(history);
    }
    Atomics.store(new Int32Array(stop), 0, 1);
    const r = await result;
    await worker.terminate();
    expect({ partial: r.partial, missing: r.missing, examples: r.examples }).toEqual({ partial: 0, missing: 0, examples: [] });
    expect(r.reads).toBeGreaterThan(100);
    expect(await readdir(fs.hostPath(DIR))).toEqual(["zephyr-status.html", "zephyr-status.json"]);
    await rm(host, { recursive: true });
  }, 120_000); // 1000 atomic replacements on disk with a reader thread: slow on a loaded machine
});
