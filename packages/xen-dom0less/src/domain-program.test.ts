import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock } from "@v8r/fvp-core";
import { afterEach, describe, expect, it } from "vitest";
import { boot, config, MODES, pairDomains, type System } from "../test/guests/_harness.ts";
import { bootargWords } from "./bootargs.ts";
import { type DomainProgramEnv, envForProgram } from "./domain-program.ts";
import { bootXen } from "./boot-xen.ts";
import { XenBootError } from "./xen-boot-error.ts";

const runner = new URL("../test/guests/program.ts", import.meta.url).href;
const withProgram = (bootargs: string) =>
  pairDomains({ a: { image: "prog.wasm", bootargs }, b: {} });

let sys: System | undefined;
afterEach(async () => {
  await sys?.close();
  sys = undefined;
});

describe.each(MODES)("a WASI program as a domain's application (%s)", (mode) => {
  it("gets the program URL, bootargs words, regions and channels; exit 0 shuts the domain down, logged on Xen's console", async () => {
    sys = await boot(mode, withProgram('exit=0 name=\\"x y\\" watchdog_ms=250'), { wasiRunner: () => runner });
    const env = await sys.waitFor((e) => e.type === "program-env", 10_000);
    expect(env["program"]).toBe(new URL("../test/guests/prog.wasm", import.meta.url).href);
    expect(env["args"]).toEqual(["prog.wasm", "exit=0", "name=x y", "watchdog_ms=250"]);
    expect(env["regions"]).toEqual([{ name: "probe", size: 0x1000, physBase: 0x7a00_0000 }]);
    expect(env["doorbells"]).toEqual([10]);
    expect(env["blocking"]).toBe(mode === "worker");
    expect(env["watchdogMs"]).toBe(250);
    await sys.act("b", { op: "send", port: 10 });
    await sys.waitFor((e) => e.type === "xen-domain" && e["domain"] === "a" && e["state"] === "shutdown", 10_000);
    expect(sys.xenLog.lines).toContain("(XEN) d1: shutdown requested (poweroff): prog.wasm exited with status 0");
    expect(sys.xen.list().map((d) => [d.name, d.state])).toEqual([["a", "shutdown"], ["b", "running"]]);
  });

  it("a non-zero exit status crashes the domain (on_crash applies), with the status on Xen's console; the other domain runs on", async () => {
    sys = await boot(mode, withProgram("exit=3"), { wasiRunner: () => runner, onCrash: "preserve" });
    await sys.waitFor((e) => e.type === "program-env", 10_000);
    await sys.act("b", { op: "send", port: 10 });
    await sys.waitFor((e) => e.type === "xen-domain" && e["domain"] === "a" && e["state"] === "crashed", 10_000);
    expect(sys.xenLog.lines).toContain("(XEN) d1v0: prog.wasm exited with status 3");
    expect((await sys.act("b", { op: "hello" })).type).toBe("probe-done");
    expect(sys.xen.list().map((d) => [d.name, d.state])).toEqual([["a", "crashed"], ["b", "running"]]);
  });

  it.each([
    { fail: "start", reason: "[test] prog.wasm is not a WebAssembly module" },
    { fail: "run", reason: "[test] prog.wasm trapped: unreachable" },
  ])("a program that fails ($fail) crashes its domain with the reason", async ({ fail, reason }) => {
    sys = await boot(mode, withProgram(`fail=${fail}`), { wasiRunner: () => runner, onCrash: "preserve" });
    if (fail === "run") {
      await sys.waitFor((e) => e.type === "program-env", 10_000);
      await sys.act("b", { op: "send", port: 10 });
    }
    await sys.waitFor((e) => e.type === "xen-domain" && e["domain"] === "a" && e["state"] === "crashed", 10_000);
    expect(sys.xenLog.lines).toContain(`(XEN) d1v0: ${reason}`);
  });
});

describe("bootXen with a .wasm image", () => {
  it("refuses to boot without a guest OS that runs WASI programs (wasiRunner)", async () => {
    const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
    const e = await bootXen(platform, config(withProgram("")), { baseUrl: new URL("../test/guests/", import.meta.url) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(XenBootError);
    expect((e as XenBootError).code).toBe("image-unresolved");
    expect((e as Error).message).toContain(`booting a: v8r,image "prog.wasm" is a WASI program, and nothing here runs one (bootXen's wasiRunner option`);
  });
});

describe("bootargWords", () => {
  it.each([
    { cmdline: "", words: [] },
    { cmdline: "  count=3   quiet ", words: ["count=3", "quiet"] },
    { cmdline: 'name="a b" x="" "c d"', words: ["name=a b", "x=", "c d"] },
  ])("$cmdline -> $words", ({ cmdline, words }) => {
    expect(bootargWords(cmdline)).toEqual(words);
  });
});

describe("envForProgram", () => {
  /** A module whose only import is module.name (a function with no arguments). */
  const moduleImporting = (module: string, name: string): WebAssembly.Module => {
    const text = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)];
    const entry = [1, ...text(module), ...text(name), 0, 0];
    return new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, entry.length, ...entry]));
  };
  const env = { idle: () => true, args: ["p.wasm"] } as unknown as DomainProgramEnv;

  it("lets a program that reads control messages and can suspend suspend in worker mode (a blocked thread takes no message)", () => {
    const out = envForProgram(env, moduleImporting("v8r_guest", "control"), true);
    expect(out.idle).toBeUndefined();
    expect(out.args).toEqual(["p.wasm"]);
  });

  it("keeps blocking for a program that cannot suspend or takes no control message, and inline (no idle) as it is", () => {
    const said: string[] = [];
    const blocking = { ...env, stderr: (t: string) => said.push(t) } as DomainProgramEnv;
    expect(envForProgram(blocking, moduleImporting("v8r_guest", "publish"), true)).toBe(blocking);
    expect(envForProgram(blocking, moduleImporting("v8r_guest", "control"), false)).toBe(blocking);
    // one that reads control messages but cannot suspend is told that it will get none
    expect(said).toEqual([
      "[xen-dom0less] p.wasm reads control messages (v8r_guest_control) but cannot suspend (it was not built with v8r-cc): in a Worker it blocks in its waits, and a blocked thread takes no message, so it will get none\n",
    ]);
    const inline = { args: [] } as unknown as DomainProgramEnv;
    expect(envForProgram(inline, moduleImporting("v8r_guest", "control"), true)).toBe(inline);
    expect(envForProgram(inline, moduleImporting("v8r_guest", "control"), false)).toBe(inline);
  });
});
