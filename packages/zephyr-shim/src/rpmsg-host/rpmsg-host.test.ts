import { loadOpenAmp } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { fakeLinkFactory } from "../../test/_fake-link.ts";
import { startHost } from "../../test/_host-harness.ts";
import { createOpenAmpLinkFactory } from "../ipc/openamp-link.ts";
import type { LinkFactory } from "../ipc/rpmsg-link.ts";

const openamp = loadOpenAmp();

// The same suite over both link implementations; each gives 4 TX buffers
// (an 8 KiB static-vrings region has num = 4).
describe.each([
  { link: "fake link", make: (): LinkFactory => fakeLinkFactory({ num: 4 }) },
  { link: "openamp-wasm", make: (): LinkFactory => createOpenAmpLinkFactory({ openamp }) },
])("rpmsg-host over $link", ({ make }) => {
  const startHost_ = (opts: Omit<Parameters<typeof startHost>[0], "factory">) => startHost({ shmSize: 8192, ...opts, factory: make() });

  it("sends one sample per period with consecutive seq, the same boot id and its own t", async () => {
    const h = await startHost_({ bootargs: "period_ms=500 seed=7" });
    await h.run(5_250);
    expect(h.samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.samples.map((s) => s.t)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    expect(new Set(h.samples.map((s) => s.boot))).toEqual(new Set([h.app.boot]));
    expect(h.samples[0]).toMatchObject({ v: 1, per: 500, ipc: { rt: 0, ri: 0, dr: 0, q: 0 } });
    expect(h.samples[9]!.ipc.tx).toBe(9);
    expect(h.pair.zephyr.lines()[0]).toMatch(/^\*\*\* Booting rpmsg-host v1\.0\.0 - Zephyr OS build/);
    expect(h.pair.zephyr.output()).toMatch(/<inf> rpmsg_host: link up: rpmsg-demo bound/);
  });

  it("the same seed gives the same boot id; samples report threads and heap", async () => {
    const a = await startHost_({ bootargs: "seed=42" });
    const b = await startHost_({ bootargs: "seed=42" });
    await a.run(1_100);
    await b.run(1_100);
    expect(a.samples[0]!.boot).toBe(b.samples[0]!.boot);
    const names = a.samples[0]!.thr.map((t) => t[0]);
    expect(names).toEqual(expect.arrayContaining(["sysworkq", "rpmsg_tx", "ipc0_wq", "idle"]));
    expect(names).not.toContain("main");
    const [used, free] = a.samples[0]!.heap;
    expect(used + free).toBe(65536);
  });

  it("never sends more than 496 bytes, even with many long-named threads", async () => {
    const h = await startHost_({  });
    for (let i = 0; i < 60; i++) {
      h.app.kernel.k_thread_create({ name: `worker_thread_number_${i}`, entry: () => h.app.kernel.k_sleep(-1).then(() => undefined) });
    }
    await h.run(3_100);
    expect(h.samples.length).toBe(3);
    expect(Math.max(...h.sizes)).toBeLessThanOrEqual(496);
    expect(h.samples[2]!.thr.length).toBeGreaterThan(3);
    expect(h.samples[2]!.thr.length).toBeLessThan(63);
  });

  it("answers ping, period and sample, and errors for malformed commands without stopping", async () => {
    const h = await startHost_({  });
    await h.run(1_050);
    const command = async (cmd: unknown) => {
      const sent = h.command(cmd);
      await h.run(h.clock.now() + 5);
      await sent;
    };
    await command({ id: 1, cmd: "ping" });
    await command({ id: 2, cmd: "period", ms: 250 });
    await command({ id: 3, cmd: "sample" });
    await command("{oops");
    await command({ id: 5, cmd: "period", ms: 5 });
    await command({ id: 6, cmd: "launch" });
    await h.run(2_100);
    expect(h.replies).toEqual([
      { id: 1, ok: true, t: 1050 },
      { id: 2, ok: true, per: 250 },
      { id: 3, ok: true, seq: 1 },
      { id: null, ok: false, err: "not valid UTF-8 JSON" },
      { id: 5, ok: false, err: "ms must be an integer in 100..60000" },
      { id: 6, ok: false, err: 'unknown command "launch"' },
    ]);
    expect(h.samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.samples[1]!.t).toBe(1060);
    expect(h.samples.slice(2).map((s) => s.t)).toEqual([1305, 1555, 1805, 2055]);
    expect(h.samples.at(-1)!.per).toBe(250);
  });

  it("a peer that stops consuming triggers retries, a re-init, then recovery with queued samples in order and dr counted", async () => {
    const h = await startHost_({ options: { queueCapacity: 8 } });
    await h.run(2_500);
    expect(h.samples.length).toBe(2);
    h.pair.linux.ctx.evtchn.mask(0xa);
    await h.run(30_000);
    const mid = h.app.stats();
    expect(mid.rt).toBe(5);
    expect(mid.ri).toBeGreaterThanOrEqual(1);
    expect(mid.up).toBe(false);
    expect(mid.q).toBe(8);
    expect(mid.dr).toBeGreaterThan(0);
    h.pair.linux.ctx.evtchn.unmask(0xa);
    await h.run(31_500);
    const after = h.app.stats();
    expect(after.up).toBe(true);
    expect(after.q).toBe(0);
    const seqs = h.samples.map((s) => s.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    // every sample taken arrived once, except exactly `dr` of them: the oldest queued ones, one block
    const missing = Array.from({ length: after.seq }, (_, i) => i).filter((seq) => !seqs.includes(seq));
    expect(missing.length).toBe(after.dr);
    expect(missing).toEqual(Array.from({ length: missing.length }, (_, i) => missing[0]! + i));
    expect(h.samples.at(-1)!.ipc.dr).toBe(after.dr);
    expect(h.samples.at(-1)!.ipc.ri).toBe(after.ri);
    const output = h.pair.zephyr.output();
    expect(output).toMatch(/<wrn> rpmsg_host: send of sample \d+ failed \(ENOMEM\): retry 1\/5 in 10 ms/);
    expect(output).toMatch(/<err> rpmsg_host: link failed \(5 retries failed\): RPMsg re-init requested/);
    expect(output).toMatch(/<wrn> rpmsg_host: re-init #1: tearing down the RPMsg device/);
    expect(output).toMatch(/<inf> rpmsg_host: re-init #1: new vdev over the same region/);
    expect(output).toMatch(/<wrn> rpmsg_host: sample queue full: dropped 1 oldest sample/);
  });

  it("is deterministic on a VirtualClock: the same seed and events give the same console and samples", async () => {
    const once = async () => {
      const h = await startHost_({ bootargs: "period_ms=200 seed=11" });
      await h.run(1_000);
      h.pair.linux.ctx.evtchn.mask(0xa);
      await h.run(4_000);
      h.pair.linux.ctx.evtchn.unmask(0xa);
      await h.run(6_000);
      return { console: h.pair.zephyr.output(), samples: JSON.stringify(h.samples) };
    };
    const [a, b] = [await once(), await once()];
    expect(a.console).toContain("re-init #1");
    expect(b).toEqual(a);
  });

  it("takes the same commands from the platform control channel and publishes the replies", async () => {
    const h = await startHost_({});
    await h.run(500);
    h.pair.zephyr.control({ id: 9, cmd: "period", ms: 200 });
    h.pair.zephyr.control("not a command");
    await h.run(1_000);
    expect(h.pair.zephyr.published.filter((e) => e.type === "zephyr.control-reply")).toEqual([
      { type: "zephyr.control-reply", reply: { id: 9, ok: true, per: 200 } },
    ]);
    expect(h.samples.map((s) => s.t)).toEqual([700, 900]);
  });

  it("samples the stalled peer never consumed are sent again after the re-init: nothing lost within the queue bound", async () => {
    const h = await startHost_({ options: { maxInFlight: 2 } });
    await h.run(1_500);
    h.pair.linux.ctx.evtchn.mask(0xa);
    await h.run(9_500);
    expect(h.app.stats().ri).toBeGreaterThanOrEqual(1);
    expect(h.pair.zephyr.output()).toMatch(/send of sample \d+ failed \(EBUSY\): retry 1\/5/);
    expect(h.pair.zephyr.output()).toMatch(/re-init #1: 2 unconsumed sample\(s\) queued again \(0 dropped\)/);
    h.pair.linux.ctx.evtchn.unmask(0xa);
    await h.run(12_500);
    const after = h.app.stats();
    expect(after).toMatchObject({ up: true, q: 0, dr: 0 });
    expect(h.samples.map((s) => s.seq)).toEqual(Array.from({ length: after.seq }, (_, i) => i));
    expect(after.tx).toBe(after.seq);
  });
});
