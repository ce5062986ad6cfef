// rpmsg-host against the real rpmsg-remote, both on the real hypervisor
// (inline, VirtualClock): what Zephyr sends is what Linux's validator and
// history accepted.
import { afterEach, describe, expect, it } from "vitest";
import { CTRL_REQUEST, CTRL_RESULT, type StatusSample } from "../protocol/mod.ts";
import { bootDemoSystem, type DemoSystem, type DemoSystemOptions } from "../test/_demo-system.ts";
import { runRpmsgHost, type RpmsgHostOptions } from "./rpmsg-host.ts";

const systems: DemoSystem[] = [];
afterEach(async () => {
  for (const s of systems.splice(0)) await s.close();
});

/** Linux checks the rings only on a doorbell (no poll): masking its port stalls it as a peer that stops consuming. */
const NO_POLL = "console=hvc0 link_poll_ms=3600000";

async function boot(opts: DemoSystemOptions & { host?: RpmsgHostOptions } = {}): Promise<DemoSystem> {
  const hostOptions = opts.host;
  const sys = await bootDemoSystem({ ...opts, ...(hostOptions ? { zephyr: (ctx) => runRpmsgHost(ctx, hostOptions) } : {}) });
  systems.push(sys);
  return sys;
}

/** The samples Linux accepted, oldest first. */
function received(sys: DemoSystem): StatusSample[] {
  return sys.remote().service?.history.entries().map((e) => e.sample) ?? [];
}

describe("rpmsg-host against rpmsg-remote", () => {
  it("sends one sample per period with consecutive seq, the same boot id and its own t", async () => {
    const sys = await boot({ zephyrArgs: "period_ms=500 seed=7" });
    await sys.run(5_250);
    const samples = received(sys);
    expect(samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(samples.map((s) => s.t)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
    expect(new Set(samples.map((s) => s.boot))).toEqual(new Set([sys.host().boot]));
    expect(samples[0]).toMatchObject({ v: 1, per: 500, ipc: { rt: 0, ri: 0, dr: 0, q: 0 } });
    expect(samples[9]?.ipc?.tx).toBe(9);
    expect(sys.remote().service?.counters).toMatchObject({ samples: 10, malformed: 0 });
    expect(sys.consoles.zephyr.lines.find((l) => l.includes("*** Booting"))).toMatch(/\*\*\* Booting rpmsg-host v1\.0\.0 - Zephyr OS build/);
    expect(sys.consoles.zephyr.text()).toMatch(/<inf> rpmsg_host: link up: rpmsg-demo bound/);
  });

  it("the same seed gives the same boot id; samples report threads and heap", async () => {
    const a = await boot({ zephyrArgs: "seed=42" });
    const b = await boot({ zephyrArgs: "seed=42" });
    await a.run(1_100);
    await b.run(1_100);
    const [first] = received(a);
    expect(first?.boot).toBe(received(b)[0]?.boot);
    const names = first?.thr?.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["sysworkq", "rpmsg_tx", "ipc0_wq", "idle"]));
    expect(names).not.toContain("main");
    expect((first?.heap?.used ?? 0) + (first?.heap?.free ?? 0)).toBe(65536);
  });

  it("never sends more than 496 bytes: with many long-named threads it leaves trailing ones out, counts and logs it", async () => {
    const sys = await boot({});
    await sys.run(10);
    const k = sys.host().kernel;
    for (let i = 0; i < 60; i++) k.k_thread_create({ name: `worker_thread_number_${i}`, entry: () => k.k_sleep(-1).then(() => undefined) });
    await sys.run(3_100);
    const samples = received(sys);
    expect(samples.length).toBe(3);
    expect(sys.remote().service?.counters).toMatchObject({ malformed: 0, oversize: 0 });
    const kept = samples[2]?.thr?.length ?? 0;
    expect(kept).toBeGreaterThan(3);
    expect(kept).toBeLessThan(63);
    const stats = sys.host().stats();
    expect(stats.trimmed).toBe(3);
    expect(stats.threadsDropped).toBeGreaterThanOrEqual(3 * (63 - kept));
    expect(sys.consoles.zephyr.text()).toMatch(/<wrn> rpmsg_host: sample 0: \d+ of \d+ thread entries left out to fit 496 bytes/);
  });

  it("answers Linux's ping, period and sample, and refuses a period out of range without stopping", async () => {
    const sys = await boot({});
    await sys.run(1_050);
    const ctrl = sys.remote().service?.ctrl;
    if (ctrl === undefined) throw new Error("no service");
    const ask = async <T>(p: Promise<T>): Promise<T> => {
      await sys.run(5);
      return p;
    };
    expect(await ask(ctrl.ping())).toMatchObject({ ok: true, t: 1050 });
    expect(await ask(ctrl.period(250))).toMatchObject({ ok: true, per: 250 });
    expect(await ask(ctrl.sample())).toMatchObject({ ok: true, seq: 1 });
    expect(await ask(ctrl.period(5))).toMatchObject({ ok: false, err: "ms must be an integer in 100..60000" });
    await sys.run(2_100 - sys.clock.now());
    const samples = received(sys);
    expect(samples.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(samples[1]?.t).toBe(1060);
    expect(samples.slice(2).map((s) => s.t)).toEqual([1305, 1555, 1805, 2055]);
    expect(samples.at(-1)?.per).toBe(250);
  });

  it("a peer that stops consuming: retries, a re-init within a second, then every sample arrives once, except exactly those Zephyr dropped and counted", async () => {
    const sys = await boot({ host: { queueCapacity: 8 }, zephyrArgs: "period_ms=100", linuxArgs: NO_POLL, shmSize: 0x2000 }); // 4 buffers each way
    await sys.run(2_550);
    expect(received(sys).length).toBe(25);
    sys.ctx("linux").evtchn.mask(0xa);
    await sys.run(6_000 - sys.clock.now());
    const mid = sys.host().stats();
    expect(mid.rt).toBeGreaterThanOrEqual(5);
    expect(mid.ri).toBeGreaterThanOrEqual(1);
    expect(mid.up).toBe(false);
    expect(mid.dr).toBeGreaterThan(0);
    expect(mid.drBy).toEqual({ overflow: mid.dr, nomem: 0 });
    sys.ctx("linux").evtchn.unmask(0xa);
    // within the 3 s guarantee: Linux polls nothing here, so the host's liveness re-init (1 s without an ack) may be what gets it going
    await sys.run(8_000 - sys.clock.now());
    const after = sys.host().stats();
    expect(after).toMatchObject({ up: true, q: 0, inFlight: 0 });
    const history = sys.remote().service?.history;
    const seqs = received(sys).map((s) => s.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] as number);
    // every sample taken arrived once, except exactly `dr` of them
    const missing = Array.from({ length: after.seq }, (_, i) => i).filter((seq) => !seqs.includes(seq));
    expect(missing.length).toBe(after.dr);
    expect(after.delivered).toBe(after.seq - after.dr);
    expect(history?.counters.lost).toBe(after.dr);
    expect(history?.counters.restarts).toBe(0);
    expect(received(sys).at(-1)?.ipc).toMatchObject({ dr: after.dr, ri: after.ri });
    const output = sys.consoles.zephyr.text();
    expect(output).toMatch(/<wrn> rpmsg_host: send of sample \d+ failed \(ENOMEM\): retry 1\/5 in 10 ms/);
    expect(output).toMatch(/<err> rpmsg_host: link failed \(5 retries failed\): RPMsg re-init requested/);
    expect(output).toMatch(/<wrn> rpmsg_host: re-init #1: tearing down the RPMsg device/);
    expect(output).toMatch(/<inf> rpmsg_host: re-init #1: new vdev over the same region/);
    expect(output).toMatch(/<wrn> rpmsg_host: sample queue full: dropped sample\(s\) \d+ \(overflow; \d+ dropped in total\)/);
    expect(sys.consoles.linux.text()).toMatch(/rpmsg-remote: lost \d+ sample\(s\) before seq \d+/);
  });

  it("a peer that hears nothing is noticed through its acks: re-init within a second, and the samples it never got are sent again: nothing lost within the queue bound", async () => {
    const sys = await boot({ linuxArgs: NO_POLL });
    await sys.run(1_500);
    sys.ctx("linux").evtchn.mask(0xa);
    await sys.run(1_100);
    expect(sys.host().stats().ri).toBe(1);
    expect(sys.consoles.zephyr.text()).toMatch(/<err> rpmsg_host: link failed \(the remote got no reply to its last 1 ack\(s\)\): RPMsg re-init requested/);
    await sys.run(6_900);
    expect(sys.consoles.zephyr.text()).toMatch(/re-init #1: 1 unacknowledged sample\(s\) will be sent again/);
    sys.ctx("linux").evtchn.unmask(0xa);
    await sys.run(1_000);
    const after = sys.host().stats();
    expect(after).toMatchObject({ up: true, q: 0, dr: 0 });
    expect(received(sys).map((s) => s.seq)).toEqual(Array.from({ length: after.seq }, (_, i) => i));
    expect(after.delivered).toBe(after.seq);
    expect(sys.remote().service?.history.counters).toMatchObject({ lost: 0 });
  });

  it("is deterministic on a VirtualClock: the same seed and events give the same consoles and samples", async () => {
    const once = async () => {
      const sys = await boot({ zephyrArgs: "period_ms=200 seed=11", linuxArgs: NO_POLL });
      await sys.run(1_000);
      sys.ctx("linux").evtchn.mask(0xa);
      await sys.run(3_000);
      sys.ctx("linux").evtchn.unmask(0xa);
      await sys.run(2_000);
      const text = (sink: { text(): string }): string => sink.text().replace(/test_system=\d+/g, "test_system=N");
      return { zephyr: text(sys.consoles.zephyr), linux: text(sys.consoles.linux), samples: JSON.stringify(received(sys)) };
    };
    const [a, b] = [await once(), await once()];
    expect(a.zephyr).toContain("re-init #1");
    expect(b).toEqual(a);
  });

  it("takes the same commands as typed control messages from the host and publishes the answers", async () => {
    const sys = await boot({});
    await sys.run(500);
    sys.xen.post("zephyr", { type: CTRL_REQUEST, id: 9, command: { cmd: "period", ms: 200 } });
    sys.xen.post("zephyr", "not a command");
    sys.xen.post("zephyr", { type: CTRL_REQUEST, id: 10, command: { cmd: "launch" } });
    await sys.run(500);
    expect(sys.events.filter((e) => e.type === CTRL_RESULT)).toEqual([
      expect.objectContaining({ type: CTRL_RESULT, domain: "zephyr", id: 9, reply: { id: 9, ok: true, per: 200 } }),
    ]);
    expect(received(sys).map((s) => s.t)).toEqual([700, 900]);
  });
});
