// End to end: `v8r-demo xl ...` from another process against a running demo
// (real time, one Worker per domain), as a user in a second terminal would.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runXl } from "../src/control-client.ts";
import { attachXlConsole } from "../src/xl-console.ts";
import { CLI, type DemoProcess, eventually, NODE_TSX, readStatus, REPO_ROOT, spawnDemo, tempDir } from "./_spawn-demo.ts";

describe("v8r-demo xl against a running demo", () => {
  let demo: DemoProcess;
  const env = (): Record<string, string> => ({ XDG_RUNTIME_DIR: demo.runtimeDir });
  /** `v8r-demo xl ARGS` in its own process. */
  const xl = (...args: string[]) => {
    const [cmd, ...pre] = NODE_TSX;
    const r = spawnSync(cmd as string, [...pre, CLI, "xl", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env(), NO_COLOR: "1" }, encoding: "utf8", timeout: 30_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const boots = (): string[] => {
    try {
      return readStatus(demo.rootfs).json.boots.map((b) => b.boot);
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    demo = spawnDemo(["--port", "0", "--server", "none"]);
    await demo.waitFor(/linux {2}\| rpmsg-remote: first sample from Zephyr boot [0-9a-f]{8}/, 60_000);
  }, 65_000);

  afterAll(() => demo.kill());

  it("xl list shows each domain with its id, memory, vCPUs, state and uptime", () => {
    const r = xl("list");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)\s+Uptime\n/);
    expect(r.out).toMatch(/\nzephyr\s+1\s+16\s+1\s+r-----\s+\d+\.\d\s+0:00:\d\d\n/);
    expect(r.out).toMatch(/\nlinux\s+2\s+512\s+2\s+r-----\s+\d+\.\d\s+0:00:\d\d\n$/);
  }, 30_000);

  it("xl destroy zephyr: it leaves the list and Xen logs it; xl create zephyr builds it again from its node and its samples flow", async () => {
    const first = boots();
    expect(first).toHaveLength(1);
    const destroyed = xl("destroy", "zephyr");
    expect([destroyed.code, destroyed.out]).toEqual([0, "destroyed domain zephyr\n"]);
    await demo.waitFor(/xen {4}\| \(XEN\) d1: destroyed \(xl destroy\)\n/, 5_000);
    expect(await runXl({ action: "list" }, { env: env() })).not.toMatch(/\nzephyr /);
    const again = xl("restart", "nope");
    expect([again.code, again.err]).toEqual([1, '[v8r-demo] xl restart: no domain named "nope" (domains: linux)\n']);

    const created = xl("create", "zephyr");
    expect([created.code, created.out]).toEqual([0, "created domain zephyr (id 1)\n"]);
    await demo.waitFor(/xen {4}\| \(XEN\) d1: created again from its dom0less node\n/, 5_000);
    await eventually("a sample of the new Zephyr boot", 45_000, () => (boots().length === 2 ? true : undefined));
    expect(await runXl({ action: "list" }, { env: env() })).toMatch(/\nzephyr\s+1\s+16\s+1\s+r-----/);
    const twice = xl("create", "zephyr");
    expect([twice.code, twice.err]).toEqual([1, "[v8r-demo] xl create: creating d1 (zephyr): it exists already (running); destroy it first\n"]);
  }, 60_000);

  it("xl pause and unpause: Xen logs both, a second pause is refused", async () => {
    expect(await runXl({ action: "pause", domain: "zephyr" }, { env: env() })).toBe("paused domain zephyr\n");
    await expect(runXl({ action: "pause", domain: "zephyr" }, { env: env() })).rejects.toThrow("zephyr is paused, not running");
    expect(await runXl({ action: "list" }, { env: env() })).toMatch(/\nzephyr\s+1\s+16\s+1\s+--p---/);
    expect(await runXl({ action: "unpause", domain: "zephyr" }, { env: env() })).toBe("unpaused domain zephyr\n");
    await demo.waitFor(/\(XEN\) d1: paused\n[\s\S]*\(XEN\) d1: unpaused\n/, 5_000);
  });

  it("xl reboot starts a new Zephyr; xl shutdown leaves it shut down", async () => {
    const before = boots().length;
    expect(await runXl({ action: "reboot", domain: "zephyr" }, { env: env() })).toBe("Rebooting domain 1\n");
    await eventually("a sample of the rebooted Zephyr", 45_000, () => (boots().length > before ? true : undefined));
    expect(await runXl({ action: "shutdown", domain: "zephyr" }, { env: env() })).toBe("Shutting down domain 1\ndomain zephyr is shut down\n");
    expect(await runXl({ action: "list" }, { env: env() })).toMatch(/\nzephyr\s+1\s+16\s+1\s+---s--/);
    await demo.waitFor(/\(XEN\) d1: shutdown requested by the toolstack\n[\s\S]*\(XEN\) d1: shut down \(poweroff\)\n/, 5_000);
  }, 60_000);

  it("xl create FILE boots a new domain from a fragment, and xl console shows its console and sends it input", async () => {
    const dir = tempDir("fragment");
    writeFileSync(
      join(dir, "echo.mjs"),
      `export function start(ctx) {
  ctx.console.write("echo guest up\\n");
  ctx.console.onInput((bytes) => ctx.console.write("echo: " + new TextDecoder().decode(bytes)));
}
`,
    );
    writeFileSync(
      join(dir, "echo.dts"),
      `/dts-v1/;
/ {
  chosen {
    #address-cells = <1>;
    #size-cells = <1>;
    echo {
      compatible = "xen,domain";
      #address-cells = <1>;
      #size-cells = <1>;
      memory = <0x0 0x1000>;
      cpus = <1>;
      vpl011;
      v8r_el1_msa = "mmu";
      kernel {
        compatible = "multiboot,kernel", "multiboot,module";
        v8r,image = "./echo.mjs";
      };
    };
  };
};
`,
    );
    const created = xl("create", join(dir, "echo.dts"));
    expect([created.code, created.out], created.err).toEqual([0, `Parsing config from ${join(dir, "echo.dts")}\ncreated domain echo (id 3)\n`]);
    expect(await runXl({ action: "list" }, { env: env() })).toMatch(/\necho\s+3\s+4\s+1\s+r-----/);
    const stdin = new PassThrough();
    let shown = "";
    const attached = attachXlConsole("echo", undefined, { stdout: { write: (t: string) => (shown += t) }, stderr: { write: () => true }, stdin }, { env: env() });
    await eventually("the console's earlier output", 5_000, () => (shown.includes("echo guest up\n") ? true : undefined));
    stdin.write("hello\n");
    await eventually("the guest's answer", 5_000, () => (shown.includes("echo: hello\n") ? true : undefined));
    await runXl({ action: "destroy", domain: "echo" }, { env: env() });
    expect(await attached).toBe("ended");
  }, 60_000);
});
