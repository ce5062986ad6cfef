import { describe, expect, it } from "vitest";
import { createPair } from "./_pair.ts";

describe("host and remote inline", () => {
  it("binds by name service and exchanges a message each way", async () => {
    const p = await createPair();
    await p.remote.ready;
    const gotR: string[] = [];
    const gotH: string[] = [];
    const r = p.remote.createEndpoint({ name: "demo", onMessage: (d) => gotR.push(new TextDecoder().decode(d)) });
    const h = p.host.createEndpoint({ name: "demo", onMessage: (d) => gotH.push(new TextDecoder().decode(d)) });
    p.pump();
    expect(r.bound).toBe(true);
    expect(h.bound).toBe(true);
    expect(h.trySend(new TextEncoder().encode("ping"))).toBe(4);
    p.pump();
    expect(r.trySend(new TextEncoder().encode("pong"))).toBe(4);
    p.pump();
    expect(gotR).toEqual(["ping"]);
    expect(gotH).toEqual(["pong"]);
    expect(p.host.stats().txMessages).toBeGreaterThan(0);
    p.host.dispose();
    p.remote.dispose();
  });
});

describe("a user-supplied ShmAccessor", () => {
  it("is used for every access (no direct buffer fast path needed)", async () => {
    const { createShmAccessor } = await import("../src/shm.ts");
    const { staticVringsLayout } = await import("../src/static-vrings-layout.ts");
    const { openamp } = await import("./_pair.ts");
    const inner = createShmAccessor({ buffer: new SharedArrayBuffer(0x10000) });
    let calls = 0;
    const counted = new Proxy(inner, {
      get(target, prop) {
        if (prop === "bytes") return undefined;
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => { calls++; return (v as (...a: unknown[]) => unknown).apply(target, args); };
      },
    });
    const layout = staticVringsLayout({ shmSize: 0x10000 });
    const oa = await openamp();
    let toR = 0, toH = 0;
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: counted, notify: () => void toR++ });
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: counted, notify: () => void toH++ });
    const got: number[] = [];
    remote.createEndpoint({ name: "acc", onMessage: (d) => got.push(...d) });
    const h = host.createEndpoint({ name: "acc", onMessage: () => {} });
    host.notified();
    remote.notified();
    h.trySend(new Uint8Array([5, 6, 7]));
    remote.notified();
    expect(got).toEqual([5, 6, 7]);
    expect(calls).toBeGreaterThan(50);
    expect(toR + toH).toBeGreaterThan(0);
  });
});
