import type { DomainRecord, Xen } from "@v8r/xen-dom0less";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppsRun } from "./_apps-end.ts";
import { withApps } from "./_demo-apps.ts";
import { loadDemoConfig } from "./_demo-config.ts";
import type { DemoPlatform, DemoTraceEvent } from "./trace-events.ts";

const bundled = loadDemoConfig({ file: "v8r64-virtualization.dts", bytes: readFileSync(new URL("./config/v8r64-virtualization.dts", import.meta.url)), bundled: true });

/** AppsRun over a fake trace bus and a fake Xen whose states the test sets. */
function harness(apps: Record<string, string>) {
  const listeners: ((e: DemoTraceEvent) => void)[] = [];
  const platform = { trace: { on: (l: (e: DemoTraceEvent) => void) => void listeners.push(l) } } as unknown as DemoPlatform;
  const config = withApps(bundled, Object.entries(apps).map(([domain, file]) => ({ domain, file })), (f) => `/p/${f}`);
  const states = new Map<string, DomainRecord["state"]>(config.domains.map((d) => [d.name, "running"]));
  const xen = { records: () => [...states].map(([name, state]) => ({ name, state }) as DomainRecord) } as unknown as Xen;
  const run = new AppsRun(platform, config);
  run.attach(xen, 0);
  const emit = (e: Record<string, unknown>): void => listeners.forEach((l) => l(e as unknown as DemoTraceEvent));
  const exit = (domain: string, code: number): void => emit({ type: "program-exit", domain, domid: 1, program: "x", code });
  const set = (domain: string, state: DomainRecord["state"], atMs: number, generation = 0): void => {
    states.set(domain, state);
    emit({ type: "xen-domain", domain, domid: 1, state, generation, atMs });
  };
  return { run, exit, set };
}

describe("AppsRun: the end of a run of WASI programs", () => {
  it("ends when the last domain stopped for good, with the first non-zero exit status", () => {
    const { run, exit, set } = harness({ zephyr: "a.wasm", linux: "b.wasm" });
    exit("linux", 7);
    set("linux", "crashed", 100);
    expect(run.endedAt).toBeUndefined();
    exit("zephyr", 0);
    set("zephyr", "shutdown", 250);
    expect(run.endedAt).toBe(250);
    expect(run.verdict()).toEqual({ code: 7, lines: ["zephyr: a.wasm exited with status 0", "linux: b.wasm exited with status 7"] });
  });

  it("a crash without an exit status, a destroy or a status outside 1..255 make 1; a shutdown asked by xl is 0", () => {
    const cases: [DomainRecord["state"], number | undefined, string, number][] = [
      ["crashed", undefined, "crashed (see Xen's console)", 1],
      ["destroyed", undefined, "was destroyed", 1],
      ["crashed", 256, "exited with status 256", 1],
      ["crashed", -1, "exited with status -1", 1], // C's exit(-1): a signed i32 at the host
      ["shutdown", undefined, "was shut down", 0],
    ];
    for (const [state, code, text, status] of cases) {
      const { run, exit, set } = harness({ zephyr: "a.wasm" });
      if (code !== undefined) exit("zephyr", code);
      set("zephyr", state, 1);
      expect(run.verdict()).toEqual({ code: status, lines: [`zephyr: a.wasm ${text}`] });
    }
  });

  it("does not end while a domain of the demo apps runs, nor on a crash its restart policy undoes", () => {
    const { run, exit, set } = harness({ zephyr: "a.wasm" });
    exit("zephyr", 0);
    set("zephyr", "shutdown", 10);
    set("linux", "crashed", 20); // the demo's Linux app: on_crash=restart
    expect(run.endedAt).toBeUndefined();
    set("linux", "running", 30, 1);
    set("linux", "destroyed", 40);
    expect(run.endedAt).toBe(40);
  });

  it("the same verdict and end whichever of the exit status and the domain's stop comes first", () => {
    const cases: [number, DomainRecord["state"], string, number][] = [
      [0, "shutdown", "exited with status 0", 0],
      [7, "crashed", "exited with status 7", 7],
    ];
    for (const [code, state, text, status] of cases) {
      const exitFirst = harness({ zephyr: "a.wasm" });
      exitFirst.exit("zephyr", code);
      exitFirst.set("zephyr", state, 30);
      exitFirst.set("linux", "destroyed", 40);
      const stopFirst = harness({ zephyr: "a.wasm" });
      stopFirst.set("zephyr", state, 30);
      stopFirst.exit("zephyr", code);
      stopFirst.set("linux", "destroyed", 40);
      for (const { run } of [exitFirst, stopFirst]) {
        expect(run.endedAt).toBe(40);
        expect(run.verdict()).toEqual({ code: status, lines: [`zephyr: a.wasm ${text}`] });
      }
    }
  });

  it("a program that crashed stays crashed when the run is interrupted later (Ctrl-C destroys every domain)", () => {
    // the stall watchdog crashed zephyr's program (no exit status); linux's waits until Ctrl-C
    const { run, set } = harness({ zephyr: "spin.wasm", linux: "echo.wasm" });
    set("zephyr", "crashed", 10);
    expect(run.endedAt).toBeUndefined();
    set("zephyr", "dying", 20);
    set("zephyr", "destroyed", 21);
    set("linux", "dying", 22);
    set("linux", "destroyed", 23);
    expect(run.endedAt).toBe(23);
    expect(run.verdict()).toEqual({ code: 1, lines: ["zephyr: spin.wasm crashed (see Xen's console)", "linux: echo.wasm was destroyed"] });
    // a non-zero exit status that crashed the domain is still the one reported
    const exited = harness({ zephyr: "a.wasm" });
    exited.set("zephyr", "crashed", 10);
    exited.exit("zephyr", 3);
    exited.set("zephyr", "destroyed", 20);
    expect(exited.run.verdict()).toEqual({ code: 3, lines: ["zephyr: a.wasm exited with status 3"] });
  });

  it("a stopped run's failure code counts only non-zero exits and crashes, in the device tree's order", () => {
    const running = harness({ zephyr: "a.wasm", linux: "b.wasm" });
    expect(running.run.failureCode()).toBe(0);
    running.set("zephyr", "destroyed", 5); // by the stop, or xl destroy: not a failure
    running.set("linux", "destroyed", 5);
    expect(running.run.failureCode()).toBe(0);
    expect(running.run.verdict().code).toBe(1); // where the run ended by itself, a destroy is one
    const failed = harness({ zephyr: "a.wasm", linux: "b.wasm" });
    failed.exit("linux", 3);
    failed.set("linux", "crashed", 1);
    expect(failed.run.failureCode()).toBe(3);
    failed.set("zephyr", "crashed", 2); // no exit status: a crash, and zephyr comes first
    expect(failed.run.failureCode()).toBe(1);
    const zero = harness({ zephyr: "a.wasm" });
    zero.exit("zephyr", 0);
    zero.set("zephyr", "shutdown", 1);
    expect(zero.run.failureCode()).toBe(0);
  });

  it("a crash is forgotten when the domain starts again: a destroy of the new instance is a destroy", () => {
    const { run, set } = harness({ zephyr: "a.wasm" });
    set("zephyr", "crashed", 10);
    set("zephyr", "running", 20, 1); // xl create after the crash, or a reboot
    set("zephyr", "destroyed", 30, 1);
    expect(run.verdict()).toEqual({ code: 1, lines: ["zephyr: a.wasm was destroyed"] });
  });

  it("forgets an exit status when the domain starts again (xl reboot, xl create)", () => {
    const { run, exit, set } = harness({ zephyr: "a.wasm" });
    exit("zephyr", 3);
    set("zephyr", "crashed", 10);
    set("zephyr", "running", 20, 1);
    expect(run.verdict()).toEqual({ code: 0, lines: ["zephyr: a.wasm is still running"] });
  });
});
