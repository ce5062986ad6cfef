import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadWasiProgram, WasiProgramError, type WasiRunOptions } from "../src/mod.ts";
import { buildC, pkgPath } from "./_c-build.ts";
import { realTimeClock } from "./_wasi-pair.ts";

/** A clock whose time jumps to each timer: sleeps take no real time and measure exactly. */
function jumpingClock(start = 1000): WasiRunOptions["clock"] {
  let t = start;
  return {
    now: () => t,
    setTimeout: (cb, ms) => {
      const id = setTimeout(() => {
        t += Math.max(0, ms);
        cb();
      }, 0);
      return { cancel: () => clearTimeout(id) };
    },
  };
}

async function run(bytes: Uint8Array, opts: Partial<WasiRunOptions> = {}): Promise<{ out: string; err: string; result: unknown }> {
  let out = "", err = "";
  const program = await loadWasiProgram(bytes, "t.wasm");
  const r = program.start({ args: ["t.wasm"], stdout: (s) => (out += s), stderr: (s) => (err += s), clock: realTimeClock, ...opts });
  const result = await r.exited.catch((e: unknown) => e);
  return { out, err, result };
}

describe("a WASI program as a guest application", () => {
  it("gets its arguments and environment, sleeps and reads time on the platform clock, and exits with its status", async () => {
    const bytes = buildC(["test/c/clock.c"]);
    const r = await run(bytes, { args: ["t.wasm", "7", "x y"], env: ["WHO=zephyr"], clock: jumpingClock(1000), epochMs: 1_700_000_000_000, random: (b) => b.fill(0xab) });
    expect(r.result).toEqual({ code: 7 });
    expect(r.out.split("\n")).toEqual(["argv[0]=t.wasm", "argv[1]=7", "argv[2]=x y", "WHO=zephyr", "slept 250 ms", "realtime 1700000001250", "random abababab", ""]);
    expect(r.err).toBe("to stderr\n");
  });

  it("starts while the clock holds time still: a clock that runs ahead meanwhile does not move the program's start", async () => {
    // time runs on by 1 ms per host task unless work is held, as a virtual clock with nothing to wait for would
    let t = 1000, held = 0, stopped = false, firstRead: number | undefined;
    const tick = (): void => {
      if (stopped) return;
      if (held === 0) t += 1;
      setImmediate(tick);
    };
    const clock: WasiRunOptions["clock"] = {
      now: () => (firstRead ??= t),
      setTimeout: (cb, ms) => {
        const id = setTimeout(cb, ms);
        return { cancel: () => clearTimeout(id) };
      },
      hold: async (work) => {
        held++;
        try {
          return await work();
        } finally {
          held--;
        }
      },
    };
    const program = await loadWasiProgram(buildC(["test/c/clock.c"]), "t.wasm");
    setImmediate(tick);
    try {
      const r = program.start({ args: ["t.wasm"], stdout: () => {}, clock, epochMs: 0 });
      expect(await r.exited).toEqual({ code: 0 });
      expect(firstRead).toBe(1000);
    } finally {
      stopped = true;
    }
  });

  it("runs C constructors once, however often the program suspends", async () => {
    const r = await run(buildC(["test/c/ctor.c"]), { clock: jumpingClock() });
    expect(r.result).toEqual({ code: 0 });
    expect(r.out).toBe("constructor\nconstructor ran 1 time(s)\n");
  });

  it("a trap is a WasiProgramError 'trap' naming the function", async () => {
    const r = await run(buildC(["test/c/trap.c"]));
    expect(r.out).toBe("about to trap\n");
    expect(r.result).toBeInstanceOf(WasiProgramError);
    expect((r.result as WasiProgramError).code).toBe("trap");
    expect((r.result as Error).message).toMatch(/^\[openamp-wasm\] t\.wasm trapped: unreachable.*broken_function/);
  });

  it("the watchdog stops a program that never waits", async () => {
    const started = performance.now();
    const r = await run(buildC(["test/c/spin.c"]), { watchdogMs: 300 });
    expect((r.result as WasiProgramError).code).toBe("spin");
    expect((r.result as Error).message).toContain("t.wasm ran 300 ms without waiting");
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("stop() ends a program that waits", async () => {
    const program = await loadWasiProgram(buildC(["test/c/waits-forever.c"]), "w.wasm");
    let out = "";
    const run = program.start({
      args: ["w.wasm"],
      stdout: (s) => (out += s),
      clock: realTimeClock,
      machine: { regions: [{ name: "shm", shm: { buffer: new SharedArrayBuffer(0x10000) } }], doorbells: [3], notify: () => {} },
    });
    while (!out.includes("waiting")) await new Promise((r) => setTimeout(r, 5));
    run.stop();
    const e = await run.exited.catch((x: unknown) => x);
    expect((e as WasiProgramError).code).toBe("stopped");
  });

  it("a program built without v8r-cc runs until it has to wait, then fails with 'no-asyncify'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "v8r-plain-"));
    const out = join(dir, "sleeper.wasm");
    const cc = spawnSync("clang", ["--target=wasm32-wasi", "-O2", pkgPath("test/c/sleeper.c"), "-o", out], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = await run(new Uint8Array(readFileSync(out)));
    expect(r.out).toBe("before\n");
    expect((r.result as WasiProgramError).code).toBe("no-asyncify");
    expect((r.result as Error).message).toContain("wasi_snapshot_preview1.poll_oneoff");
  });

  it.each([
    { what: "bytes that are not WebAssembly", bytes: new TextEncoder().encode("#!/bin/sh\necho hi\n"), code: "not-wasm", message: /t\.wasm is not a WebAssembly module/ },
    { what: "a module without _start", bytes: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), code: "not-wasi", message: /t\.wasm is not a WASI command: it exports no _start/ },
  ])("$what: a WasiProgramError $code", async ({ bytes, code, message }) => {
    const e = await loadWasiProgram(bytes, "t.wasm").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WasiProgramError);
    expect((e as WasiProgramError).code).toBe(code);
    expect((e as Error).message).toMatch(message);
  });

  it("a program importing what the guest does not provide fails with 'import' naming it", async () => {
    const r = await run(buildC(["examples/c/ping.c"]), { imports: {} }).catch((e: unknown) => ({ result: e }));
    // ping imports only what the runner provides: it starts (and fails in platform_init: no machine)
    expect(r.result).toEqual({ code: 1 });
    const wat = new Uint8Array([
      // (module (import "other_os" "f" (func)) (memory (export "memory") 1) (func (export "_start")))
      0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 14, 1, 8, 111, 116, 104, 101, 114, 95, 111, 115, 1, 102, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7,
      19, 2, 6, 109, 101, 109, 111, 114, 121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0, 1, 10, 4, 1, 2, 0, 11,
    ]);
    const program = await loadWasiProgram(wat, "other.wasm");
    expect(() => program.start({ args: [], stdout: () => {}, clock: realTimeClock })).toThrow(/other\.wasm imports other_os\.f \(function\), which this guest does not provide/);
  });
});
