import { describe, expect, it } from "vitest";
import { openamp } from "../test/_pair.ts";
import { resourceTableBytes } from "./resource-table.ts";

const table = resourceTableBytes({ vrings: [
  { da: 0x4000, align: 0x1000, num: 256, notifyid: 1 },
  { da: 0x8000, align: 0x1000, num: 256, notifyid: 2 },
] });

describe("resource-table layout", () => {
  it("builds the table bytes the OpenAMP Linux demo installs", () => {
    const hex = Array.from(table, (b) => b.toString(16).padStart(2, "0")).join("");
    expect(hex).toBe("01000000010000000000000000000000140000000300000007000000000000000100000000000000000000000002000000400000001000000001000001000000000000000080000000100000000100000200000000000000");
  });

  it("links a host and a remote through the table, kicking by notify id", async () => {
    const shm = new SharedArrayBuffer(0x80000);
    new Uint8Array(shm).set(table);
    const oa = await openamp();
    const layout = { kind: "resource-table" as const, shmSize: 0x80000, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x40000 };
    const kicks: string[] = [];
    const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: (id) => kicks.push(`h${id}`) });
    const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: (id) => kicks.push(`r${id}`) });
    expect(new DataView(shm).getUint32(0x24, true)).toBe(1);
    expect(new Uint8Array(shm)[0x2c]).toBe(4);
    const got: string[] = [];
    const h = host.createEndpoint({ name: "rt", onMessage: () => {} });
    const r = remote.createEndpoint({ name: "rt", onMessage: (d) => got.push(new TextDecoder().decode(d)) });
    host.notified(1);
    remote.notified(2);
    expect([h.bound, r.bound]).toEqual([true, true]);
    h.trySend(new TextEncoder().encode("via table"));
    remote.notified(2);
    expect(got).toEqual(["via table"]);
    expect(kicks).toEqual(["h0", "h0", "h2", "r1", "h2"]);
  });

  it.each([
    { what: "a vring outside the region", patch: (dv: DataView) => dv.setUint32(0x30, 0x7fff0000, true) },
    { what: "a vring size that is not a power of two", patch: (dv: DataView) => dv.setUint32(0x38, 255, true) },
    { what: "a vring alignment of 0", patch: (dv: DataView) => dv.setUint32(0x34, 0, true) },
    { what: "an entry offset past the region", patch: (dv: DataView) => dv.setUint32(0x10, 0xfffffff0, true) },
    { what: "a huge entry count", patch: (dv: DataView) => dv.setUint32(0x4, 0xffffffff, true) },
    { what: "no vdev entry", patch: (dv: DataView) => dv.setUint32(0x14, 2, true) },
    { what: "too many vrings", patch: (dv: DataView) => dv.setUint8(0x2d, 200) },
  ])("refuses a table with $what (RPMSG_ERR_PARAM, nothing touched outside)", async ({ patch }) => {
    const shm = new SharedArrayBuffer(0x80000);
    new Uint8Array(shm).set(table);
    patch(new DataView(shm));
    const oa = await openamp();
    const layout = { kind: "resource-table" as const, shmSize: 0x80000, tableOffset: 0, poolOffset: 0x10000, poolSize: 0x40000 };
    for (const role of ["host", "remote"] as const) {
      await expect(oa.createRpmsgDevice({ role, layout, shm: { buffer: shm }, notify: () => {} })).rejects.toMatchObject({ errno: -2003 });
    }
  });
});
