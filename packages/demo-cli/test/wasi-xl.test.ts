// End to end, in Workers (real time): `xl` acts on a domain whose WASI
// program is blocked in a wait (its Worker's thread sleeps in the vCPU's WFI,
// Atomics.wait), as it does on a domain at rest: pause and unpause, reboot,
// destroy and create, shutdown.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildC } from "../../openamp-wasm/test/_c-build.ts";
import { runXl } from "../src/control-client.ts";
import { type DemoProcess, eventually, spawnDemo, tempDir } from "./_spawn-demo.ts";

describe("xl on a domain whose program is blocked in a wait (Workers)", () => {
  let demo: DemoProcess;
  const xl = (action: "pause" | "unpause" | "reboot" | "shutdown" | "destroy" | "create" | "list", domain = "zephyr"): Promise<string> =>
    runXl(action === "list" ? { action } : { action, domain }, { env: { XDG_RUNTIME_DIR: demo.runtimeDir } });
  const waiting = (): number => demo.stdout().split("zephyr | waiting\n").length - 1;

  beforeAll(async () => {
    const program = join(tempDir("wasi-xl"), "waits-forever.wasm");
    writeFileSync(program, buildC(["test/c/waits-forever.c"]));
    demo = spawnDemo(["--app", `zephyr=${program}`, "--port", "0", "--server", "none"]);
    await demo.waitFor(/zephyr \| waiting\n/, 120_000);
    await eventually("the demo's control endpoint", 30_000, () => xl("list").catch(() => undefined)); // published once booted
  }, 180_000);

  afterAll(() => demo.kill());

  it("xl pause holds it and xl unpause resumes it", async () => {
    expect(await xl("pause")).toBe("paused domain zephyr\n");
    expect(await xl("list")).toMatch(/\nzephyr\s+1\s+16\s+1\s+--p---/);
    expect(await xl("unpause")).toBe("unpaused domain zephyr\n");
    expect(await xl("list")).toMatch(/\nzephyr\s+1\s+16\s+1\s+r-----/);
    await demo.waitFor(/\(XEN\) d1: paused\n[\s\S]*\(XEN\) d1: unpaused\n/, 10_000);
  }, 30_000);

  it("xl reboot starts the program again", async () => {
    const before = waiting();
    expect(await xl("reboot")).toBe("Rebooting domain 1\n");
    await demo.waitFor(/\(XEN\) d1: shutdown requested \(reboot\)\n[\s\S]*\(XEN\) d1: starting a new instance \(reboot; restart 1\)\n/, 10_000);
    await demo.waitFor(new RegExp(`(zephyr \\| waiting\\n[\\s\\S]*){${before + 1}}`), 60_000);
  }, 90_000);

  it("xl destroy stops it and xl create boots it again", async () => {
    const before = waiting();
    await xl("destroy");
    await demo.waitFor(/\(XEN\) d1: destroyed \(xl destroy\)\n/, 10_000);
    await xl("create");
    await demo.waitFor(new RegExp(`(zephyr \\| waiting\\n[\\s\\S]*){${before + 1}}`), 60_000);
  }, 90_000);

  it("xl shutdown shuts it down; Linux runs on, so the run does too", async () => {
    expect(await xl("shutdown")).toBe("Shutting down domain 1\ndomain zephyr is shut down\n");
    expect(await xl("list")).toMatch(/\nzephyr\s+1\s+16\s+1\s+---s--[\s\S]*\nlinux\s+2\s+\d+\s+\d+\s+r-----/);
    await demo.waitFor(/\(XEN\) d1: shutdown requested by the toolstack\n[\s\S]*\(XEN\) d1: shut down \(poweroff\)\n/, 10_000);
    expect(demo.groupAlive()).toBe(true);
  }, 30_000);
});
