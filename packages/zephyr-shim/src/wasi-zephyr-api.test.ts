// The imports behind the Zephyr C API of WASI programs (include/zephyr/*.h),
// called as a program calls them: arguments are pointers into its memory.
import { VirtualClock } from "@v8r/fvp-core";
import { memoryText } from "@v8r/openamp-wasm";
import { describe, expect, it } from "vitest";
import { createFakeDomain } from "../test/_fake-domain.ts";
import { zephyrProgramImports } from "./wasi-zephyr-api.ts";
import { bootZephyr } from "./zephyr.ts";

function setup() {
  const clock = new VirtualClock();
  const domain = createFakeDomain({ clock, domid: 1, name: "zephyr" });
  const k = bootZephyr(domain.ctx, { appName: "test" });
  const memory = new WebAssembly.Memory({ initial: 1 });
  const api = zephyrProgramImports(k, { memory: () => memory, text: (ptr, len) => memoryText(memory, ptr, len) }).v8r_zephyr as Record<string, (...args: number[]) => unknown>;
  const call = (name: string, ...args: number[]): unknown => (api[name] as (...a: number[]) => unknown)(...args);
  const put = (at: number, text: string): number => {
    const bytes = new TextEncoder().encode(text);
    new Uint8Array(memory.buffer).set(bytes, at);
    return bytes.length;
  };
  const cstr = (at: number): string => {
    const b = new Uint8Array(memory.buffer, at);
    return new TextDecoder().decode(b.subarray(0, b.indexOf(0)));
  };
  return { clock, domain, k, memory, call, put, cstr, view: () => new DataView(memory.buffer) };
}

describe("the Zephyr C API imports", () => {
  it("k_uptime_get: uptime_ms is the kernel's uptime as a 64-bit integer", async () => {
    const { clock, call } = setup();
    await clock.run(clock.now() + 1234.6);
    expect(call("uptime_ms")).toBe(1234n);
  });

  it("k_thread_foreach: thread_count takes a snapshot of the live threads, thread_info fills id, name, state and cycles", () => {
    const { k, call, cstr, view } = setup();
    const t = k.k_thread_create({ name: "worker_with_a_long_name_that_is_cut", entry: async () => {} });
    t.runtimeMs = 2.5;
    const n = call("thread_count") as number;
    const seen: { id: number; name: string; state: string; cycles: bigint }[] = [];
    for (let i = 0; i < n; i++) {
      expect(call("thread_info", i, 100, 200, 16, 300, 8, 400)).toBe(0);
      seen.push({ id: view().getUint32(100, true), name: cstr(200), state: cstr(300), cycles: view().getBigUint64(400, true) });
    }
    const worker = seen.find((s) => s.name.startsWith("worker"));
    expect(worker).toMatchObject({ name: "worker_with_a_l", cycles: 2500n }); // cut to fit 16 bytes with its NUL
    expect(seen.map((s) => s.name)).toContain("sysworkq");
    expect(new Set(seen.map((s) => s.id)).size).toBe(n);
    expect(call("thread_info", n, 100, 200, 16, 300, 8, 400)).toBe(-22);
    // ids stay with their thread
    call("thread_count");
    const again = Array.from({ length: n }, (_, i) => (call("thread_info", i, 100, 200, 16, 300, 8, 400), view().getUint32(100, true)));
    expect(again).toEqual(seen.map((s) => s.id));
  });

  it("sys_heap_runtime_stats_get: heap_stats reports the system heap", () => {
    const { k, call, view } = setup();
    const block = k.k_malloc(100);
    call("heap_stats", 0, 4, 8);
    const s = k.sys_heap_runtime_stats_get();
    expect([view().getUint32(0, true), view().getUint32(4, true), view().getUint32(8, true)]).toEqual([s.free_bytes, s.allocated_bytes, s.max_allocated_bytes]);
    expect(view().getUint32(4, true)).toBeGreaterThan(100);
    k.k_free(block);
  });

  it("cpu_load_get: per mille of the vCPU since the last reset", async () => {
    const { clock, domain, call } = setup();
    await clock.run(clock.now() + 1000);
    expect(call("cpu_load", 1)).toBe(0);
    await clock.run(clock.now() + 1000);
    domain.cpu.charge(250); // busy for the last quarter of the second since the reset
    expect(call("cpu_load", 1)).toBe(250);
    await clock.run(clock.now() + 1000);
    expect(call("cpu_load", 0)).toBe(0);
  });

  it("printk and LOG_*: console and log lines in Zephyr's format, by level", async () => {
    const { clock, domain, call, put } = setup();
    await clock.run(clock.now() + 1500);
    const text = put(0, "hello 100%\n");
    call("console", 0, text);
    const mod = put(64, "rpmsg_host");
    for (const [level, msg] of [[1, "bad"], [2, "careful"], [3, "fine"], [4, "detail"]] as const) call("log", level, 64, mod, 128, put(128, msg));
    const out = domain.output();
    expect(out).toContain("hello 100%\n");
    expect(out).toContain("[00:00:01.500,000] <err> rpmsg_host: bad\n");
    expect(out).toContain("<wrn> rpmsg_host: careful\n");
    expect(out).toContain("<inf> rpmsg_host: fine\n");
    expect(out).not.toContain("detail"); // the kernel's default level is INF
  });
});
