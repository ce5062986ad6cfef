import { Cpu, VirtualClock } from "@v8r/fvp-core";
import { describe, expect, it } from "vitest";
import { XenError } from "./domain-context.ts";
import { createEvtchnState, raisePort, scanUpcall, Word } from "./_evtchn-layout.ts";
import type { SendFaultPlan } from "./faults.ts";
import { createSendFaults } from "./_send-faults.ts";
import { Vcpu } from "./_vcpu.ts";
import { createVgic, GUEST_EVTCHN_PPI } from "./_vgic.ts";
import { DomainEventChannels } from "./event-channel.ts";

/** Two inline domains joined by channels (d1 port p <-> d2 port p for each p), on a VirtualClock. */
function pair(ports: number[] = [3, 5, 7], faults?: SendFaultPlan) {
  const clock = new VirtualClock();
  const states = new Map([1, 2].map((d) => [d, new Int32Array(createEvtchnState())]));
  const vgics = new Map([1, 2].map((d) => [d, createVgic(1)]));
  const make = (domid: number, peer: number) => {
    const state = states.get(domid)!;
    const evtchn = new DomainEventChannels({
      domid,
      name: `d${domid}`,
      state,
      ports: ports.map((p) => ({ port: p, peerDomid: peer, peerPort: p })),
      peers: states,
      wake: (d) => vgics.get(d)!.raise(GUEST_EVTCHN_PPI, 0),
      clock,
      faults: createSendFaults(faults, domid, 0),
    });
    const vcpu = new Vcpu({ mode: "inline", state, generation: 0, clock, cpu: new Cpu(domid, clock), gic: vgics.get(domid)!, index: 0 });
    vcpu.start();
    vcpu.on(GUEST_EVTCHN_PPI, () => evtchn.deliver((h, port) => vcpu.run(() => h(port)), vcpu.canRun));
    return { evtchn, vcpu, state };
  };
  const d1 = make(1, 2);
  const d2 = make(2, 1);
  const log: string[] = [];
  const record = (who: string) => (port: number) => log.push(`${who}:${port}`);
  return { clock, d1, d2, log, record, settle: () => clock.runUntilIdle({ maxSteps: 10_000 }) };
}

describe("2-level bit logic", () => {
  it.each([
    { name: "first send raises an upcall", pre: [] as number[], masked: false, expected: "upcall" },
    { name: "a second send before delivery coalesces", pre: [9], masked: false, expected: "coalesced" },
    { name: "a masked port stays pending without upcall", pre: [], masked: true, expected: "masked" },
    { name: "another port while an upcall is pending does not wake again", pre: [40], masked: false, expected: "raised" },
  ])("raisePort: $name", ({ pre, masked, expected }) => {
    const s = new Int32Array(createEvtchnState());
    for (const p of pre) raisePort(s, p);
    if (masked) Atomics.or(s, Word.MASK, 1 << 9);
    expect(raisePort(s, 9)).toBe(expected);
  });

  it("scanUpcall clears each pending bit once and visits ports in ascending order across words", () => {
    const s = new Int32Array(createEvtchnState());
    for (const p of [4095, 40, 1, 33, 2000]) raisePort(s, p);
    const seen: number[] = [];
    scanUpcall(s, { accepts: () => true, run: (p) => seen.push(p), alive: () => true });
    expect(seen).toEqual([1, 33, 40, 2000, 4095]);
    expect(Atomics.load(s, Word.UPCALL)).toBe(0);
    expect(scanUpcall(s, { accepts: () => true, run: (p) => seen.push(p), alive: () => true })).toBe(0);
  });

  it("scanUpcall leaves ports nobody accepts pending", () => {
    const s = new Int32Array(createEvtchnState());
    raisePort(s, 8);
    scanUpcall(s, { accepts: () => false, run: () => {}, alive: () => true });
    expect(Atomics.load(s, Word.PENDING) & (1 << 8)).not.toBe(0);
  });

  it("a scan stopped early re-announces the ports it did not reach", () => {
    const s = new Int32Array(createEvtchnState());
    for (const p of [2, 3, 100]) raisePort(s, p);
    const first: number[] = [];
    scanUpcall(s, { accepts: () => true, run: (p) => first.push(p), alive: () => false });
    expect(first).toEqual([2]);
    expect(Atomics.load(s, Word.UPCALL)).toBe(1);
    const rest: number[] = [];
    scanUpcall(s, { accepts: () => true, run: (p) => rest.push(p), alive: () => true });
    expect(rest).toEqual([3, 100]);
  });
});

describe("event channel semantics (inline, VirtualClock)", () => {
  it("delivers a send to the peer's handler on the platform clock, not synchronously", () => {
    const { d1, d2, log, record, settle } = pair();
    d2.evtchn.bind(5, record("d2"));
    d1.evtchn.send(5);
    expect(log).toEqual([]);
    settle();
    expect(log).toEqual(["d2:5"]);
    expect(d2.evtchn.isPending(5)).toBe(false);
  });

  it("keeps the event pending while the port is masked and fires it once on unmask", () => {
    const { d1, d2, log, record, settle } = pair();
    d2.evtchn.bind(5, record("d2"));
    d2.evtchn.mask(5);
    d1.evtchn.send(5);
    d1.evtchn.send(5);
    settle();
    expect(log).toEqual([]);
    expect(d2.evtchn.isPending(5)).toBe(true);
    expect(d2.evtchn.isMasked(5)).toBe(true);
    d2.evtchn.unmask(5);
    settle();
    expect(log).toEqual(["d2:5"]);
    expect(d2.evtchn.isPending(5)).toBe(false);
  });

  it("delivers an event sent before the handler was bound right after bind (missed event)", () => {
    const { d1, d2, log, record, settle } = pair();
    d1.evtchn.send(7);
    settle();
    expect(d2.evtchn.isPending(7)).toBe(true);
    d2.evtchn.bind(7, record("d2"));
    expect(log).toEqual([]);
    settle();
    expect(log).toEqual(["d2:7"]);
  });

  it("keeps events arriving after unbind pending for the next handler", () => {
    const { d1, d2, log, record, settle } = pair();
    d2.evtchn.bind(3, record("a"));
    d1.evtchn.send(3);
    settle();
    d2.evtchn.unbind(3);
    d1.evtchn.send(3);
    settle();
    d2.evtchn.bind(3, record("b"));
    settle();
    expect(log).toEqual(["a:3", "b:3"]);
  });

  it("runs the handlers of several pending ports in ascending port order within one upcall", () => {
    const { d1, d2, log, record, settle } = pair();
    for (const p of [3, 5, 7]) d2.evtchn.bind(p, record("d2"));
    d1.evtchn.send(7);
    d1.evtchn.send(3);
    d1.evtchn.send(5);
    settle();
    expect(log).toEqual(["d2:3", "d2:5", "d2:7"]);
  });

  it("loses no event: every send after the previous delivery produces one more delivery", () => {
    const { clock, d1, d2, settle } = pair();
    let delivered = 0;
    d2.evtchn.bind(5, () => delivered++);
    for (let i = 0; i < 200; i++) {
      d1.evtchn.send(5);
      clock.runUntilIdle();
    }
    settle();
    expect(delivered).toBe(200);
  });

  it("coalesces sends made before the receiver ran into one delivery, never two", () => {
    const { d1, d2, settle } = pair();
    let delivered = 0;
    d2.evtchn.bind(5, () => delivered++);
    for (let i = 0; i < 10; i++) d1.evtchn.send(5);
    settle();
    expect(delivered).toBe(1);
  });

  it("ping-pongs N times through a channel pair with sends made from handlers", () => {
    const { d1, d2, settle } = pair();
    let pongs = 0;
    d2.evtchn.bind(3, () => d2.evtchn.send(3));
    d1.evtchn.bind(3, () => {
      if (++pongs < 50) d1.evtchn.send(3);
    });
    d1.evtchn.send(3);
    settle();
    expect(pongs).toBe(50);
  });

  it.each([
    ["send", (e: DomainEventChannels) => e.send(4)],
    ["bind", (e: DomainEventChannels) => e.bind(4, () => {})],
    ["unbind", (e: DomainEventChannels) => e.unbind(4)],
    ["mask", (e: DomainEventChannels) => e.mask(4)],
    ["unmask", (e: DomainEventChannels) => e.unmask(4)],
    ["isPending", (e: DomainEventChannels) => e.isPending(0)],
    ["isMasked", (e: DomainEventChannels) => e.isMasked(4096)],
  ])("%s on a port that is not bound in the domain throws XenError EINVAL", (_op, call) => {
    const { d1 } = pair();
    let err: unknown;
    try {
      call(d1.evtchn);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XenError);
    expect((err as XenError).code).toBe("EINVAL");
    expect((err as XenError).message).toMatch(/^\[xen-dom0less\] .* in d1: the port is not bound in this domain \(its static ports are 3, 5, 7\)$/);
  });

  it("binding a port that has a handler throws XenError EBUSY", () => {
    const { d1 } = pair();
    d1.evtchn.bind(3, () => {});
    expect(() => d1.evtchn.bind(3, () => {})).toThrow(expect.objectContaining({ code: "EBUSY" }));
  });

  it("a throwing handler crashes the domain through the clock and stops further deliveries", () => {
    const { clock, d1, d2 } = pair();
    let calls = 0;
    d2.evtchn.bind(5, () => {
      calls++;
      throw new Error("boom");
    });
    d1.evtchn.send(5);
    expect(() => clock.runUntilIdle()).toThrow("boom");
    d1.evtchn.send(5);
    clock.runUntilIdle();
    expect(calls).toBe(1);
    expect(d2.vcpu.alive).toBe(false);
  });
});

describe("send-path faults", () => {
  it("drops every send with drop probability 1 and keeps the bits untouched", () => {
    const { d1, d2, log, record, settle } = pair([5], { seed: 1, faults: [{ kind: "drop", probability: 1 }] });
    d2.evtchn.bind(5, record("d2"));
    d1.evtchn.send(5);
    settle();
    expect(log).toEqual([]);
    expect(d2.evtchn.isPending(5)).toBe(false);
  });

  it("delays a send by the planned time on the clock", () => {
    const { clock, d1, d2, settle } = pair([5], { seed: 1, faults: [{ kind: "delay", probability: 1, ms: 25 }] });
    const at: number[] = [];
    d2.evtchn.bind(5, () => at.push(clock.now()));
    d1.evtchn.send(5);
    settle();
    expect(at).toEqual([25]);
  });

  it("duplicates a send into a second delivery after the first was handled", () => {
    const { d1, d2, settle } = pair([5], { seed: 1, faults: [{ kind: "duplicate", probability: 1 }] });
    let n = 0;
    d2.evtchn.bind(5, () => n++);
    d1.evtchn.send(5);
    settle();
    expect(n).toBe(2);
  });

  it("draws the same fates for the same seed and different ones for another seed", () => {
    const fates = (seed: number) => {
      const f = createSendFaults({ seed, faults: [{ kind: "drop", probability: 0.5 }] }, 1, 0)!;
      return Array.from({ length: 64 }, () => (f.decide(5)?.drop ? 1 : 0)).join("");
    };
    expect(fates(42)).toBe(fates(42));
    expect(fates(42)).not.toBe(fates(43));
    expect(fates(42)).toMatch(/1.*0|0.*1/);
  });

  it("keeps the drops of a plan when faults of other kinds join it, before or after (one stream per fault)", () => {
    const drops = (plan: SendFaultPlan) => {
      const f = createSendFaults(plan, 1, 0)!;
      return Array.from({ length: 128 }, () => (f.decide(5)?.kinds.includes("drop") ? 1 : 0)).join("");
    };
    const drop = { kind: "drop", probability: 0.5 } as const;
    const alone = drops({ seed: 9, faults: [drop] });
    expect(drops({ seed: 9, faults: [{ kind: "delay", probability: 0.5, ms: 3 }, drop, { kind: "duplicate", probability: 0.5 }] })).toBe(alone);
  });

  it("draws for a send only from the faults whose ports cover it", () => {
    const f = createSendFaults({ seed: 1, faults: [{ kind: "drop", probability: 1, ports: [7] }] }, 1, 0)!;
    expect(f.decide(5)).toBeUndefined();
    expect(f.decide(7)).toMatchObject({ drop: true, kinds: ["drop"] });
  });
});
