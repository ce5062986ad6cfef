import { EventEmitter } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli, type CliIo } from "./cli-main.ts";
import { readDefaultConfig } from "./config/default-config.ts";
import { startControlEndpoint } from "./control-endpoint.ts";
import type { DemoOptions } from "./options.ts";
import type { DemoIo, RunningDemo } from "./run-demo.ts";
import type { SignalSource } from "./shutdown.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "v8r-demo-cli-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeIo(extra: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const io: CliIo = {
    stdout: { write: (t) => void out.push(t) },
    stderr: { write: (t) => void err.push(t) },
    env: { XDG_RUNTIME_DIR: dir, NO_COLOR: "1" },
    signals: signals as unknown as SignalSource,
    ...extra,
  };
  return { io, signals, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("runCli: simple commands", () => {
  it("prints the help on --help and exits 0", async () => {
    const t = fakeIo();
    expect(await runCli(["--help"], t.io)).toBe(0);
    expect(t.stdout()).toContain("USAGE");
    expect(t.stdout()).toContain("--faults SPEC");
  });

  it("prints the version", async () => {
    const t = fakeIo();
    expect(await runCli(["--version"], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^v8r-demo \d+\.\d+\.\d+/);
  });

  it("exits 2 with the reason and a pointer to --help on a bad option", async () => {
    const t = fakeIo();
    expect(await runCli(["--port", "99999"], t.io)).toBe(2);
    expect(t.stderr()).toMatch(/^\[v8r-demo\] --port must be a whole number from 0 to 65535 \(got "99999"\)\nusage:\n  v8r-demo \[OPTIONS\]/);
    expect(t.stderr()).toContain("\n  v8r-demo lint FILE\n");
    expect(t.stderr()).toMatch(/see v8r-demo --help for every option\n$/);
    expect(t.stdout()).toBe("");
  });

  it("prints the bundled device tree with config", async () => {
    const t = fakeIo();
    expect(await runCli(["config"], t.io)).toBe(0);
    expect(t.stdout()).toBe(await readDefaultConfig());
  });

  it("writes the bundled device tree to a new file, and refuses to overwrite one", async () => {
    const file = join(dir, "my.dts");
    const t = fakeIo();
    expect(await runCli(["config", file], t.io)).toBe(0);
    expect(await readFile(file, "utf8")).toBe(await readDefaultConfig());
    const again = fakeIo();
    expect(await runCli(["config", file], again.io)).toBe(1);
    expect(again.stderr()).toContain("it exists already");
  });
});

describe("runCli: lint", () => {
  it("finds the bundled device tree clean", async () => {
    const file = join(dir, "ok.dts");
    await writeFile(file, await readDefaultConfig());
    const t = fakeIo();
    expect(await runCli(["lint", file], t.io)).toBe(0);
    expect(t.stdout()).toBe(`${file}: clean\n`);
  });

  it.each([
    ["a shm id over 15 bytes", (s: string) => s.replace('xen,shm-id = "rpmsg-shm"', 'xen,shm-id = "rpmsg-shm-far-too-long"'), "shm-id-too-long"],
    ["a channel to an undefined label", (s: string) => s.replace("<0xa &ec_zephyr>", "<0xa &ec_nowhere>"), "evtchn-peer-missing"],
    ["xenstore with no xenstore domain", (s: string) => s.replace('xen,enhanced = "no-xenstore";', 'xen,enhanced = "enabled";'), "enhanced-without-xenstore"],
    ["a port above a domU's 1023", (s: string) => s.replaceAll("<0xa &", "<0x800 &"), "evtchn-port-invalid"],
    ["Zephyr's RAM not statically placed on Armv8-R", (s: string) => s.replace("direct-map;", ""), "mpu-needs-static-memory"],
  ])("exits 1 (as xen-dom0less lint does) and prints the error for %s", async (_name, edit, code) => {
    const text = edit(await readDefaultConfig());
    expect(text).not.toBe(await readDefaultConfig());
    const file = join(dir, "bad.dts");
    await writeFile(file, text);
    const t = fakeIo();
    expect(await runCli(["lint", file], t.io)).toBe(1);
    expect(t.stdout()).toContain(`error[${code}]`);
    expect(t.stdout()).toMatch(/: [1-9]\d* errors?, \d+ warnings?\n$/);
  });

  it("prints JSON diagnostics with --log-format json", async () => {
    const file = join(dir, "bad.dts");
    await writeFile(file, (await readDefaultConfig()).replaceAll("<0xa &", "<0x800 &"));
    const t = fakeIo();
    expect(await runCli(["lint", file, "--log-format", "json"], t.io)).toBe(1);
    const first = JSON.parse(t.stdout().split("\n")[0] ?? "") as { code: string; severity: string };
    expect(first).toMatchObject({ severity: "error" });
  });

  it("exits 2 for a file that does not exist", async () => {
    const t = fakeIo();
    expect(await runCli(["lint", join(dir, "missing.dts")], t.io)).toBe(2);
    expect(t.stderr()).toContain("missing.dts: no such file");
  });
});

describe("runCli: xl", () => {
  it("says no demo runs when there is no control file", async () => {
    const t = fakeIo();
    expect(await runCli(["xl", "list"], t.io)).toBe(1);
    expect(t.stderr()).toContain("no running demo found");
  });

  it("lists the domains of a running demo", async () => {
    const endpoint = await startControlEndpoint(
      {
        list: () => [{ name: "zephyr", domid: 1, memKiB: 16_384, vcpus: 1, state: "running", cpuTimeS: 1, uptimeS: 12 }],
        act: () => "",
        createFromFile: async () => "",
        console: () => ({ replay: "", onOutput: () => () => {}, onEnd: () => () => {}, input() {} }),
      },
      { env: { XDG_RUNTIME_DIR: dir } },
    );
    try {
      const t = fakeIo();
      expect(await runCli(["xl", "list"], t.io)).toBe(0);
      expect(t.stdout()).toMatch(/\nzephyr\s+1\s+16\s+1\s+r-----\s+1\.0\s+0:00:12\n$/);
    } finally {
      await endpoint.close();
    }
  });
});

describe("runCli: run", () => {
  const running: RunningDemo = {
    statusUrl: "http://127.0.0.1:8080/zephyr-status.html",
    dashboardUrl: "http://127.0.0.1:8080/",
    rootfs: "/tmp/rootfs",
    consoles: [{ name: "zephyr", where: "stdout" }],
  };

  it("boots with the bundled config, prints the banner, and on SIGINT runs the hooks and resolves 0", async () => {
    let demoIo: DemoIo | undefined;
    const stopGuests = vi.fn();
    const runDemo = vi.fn(async (_o: DemoOptions, io: DemoIo) => {
      demoIo = io;
      io.shutdown.add("stop guests", stopGuests);
      io.console.writer("zephyr").write("partial line");
      return running;
    });
    const t = fakeIo({ runDemo });
    const result = runCli(["--inline"], t.io);
    await vi.waitFor(() => expect(t.stdout()).toContain("status page"));
    expect(demoIo?.config).toMatchObject({ file: "v8r64-virtualization.dts", bundled: true });
    expect(new TextDecoder().decode(demoIo?.config.bytes)).toBe(await readDefaultConfig());
    expect(t.stdout()).toContain("(inline, one thread)");
    t.signals.emit("SIGINT");
    expect(await result).toBe(0);
    expect(stopGuests).toHaveBeenCalledOnce();
    expect(t.stdout()).toContain("zephyr | partial line\n");
    expect(t.stdout()).toContain("v8r    | [v8r-demo] SIGINT (press Ctrl-C again to force): stopping");
    expect(t.signals.listenerCount("SIGINT")).toBe(0);
  });

  it("resolves 1 at once on a second SIGINT while a hook hangs", async () => {
    const runDemo = async (_o: DemoOptions, io: DemoIo) => {
      io.shutdown.add("hang", () => new Promise<void>(() => {}));
      return running;
    };
    const t = fakeIo({ runDemo });
    const result = runCli([], t.io);
    await vi.waitFor(() => expect(t.stdout()).toContain("status page"));
    t.signals.emit("SIGINT");
    t.signals.emit("SIGINT");
    expect(await result).toBe(1);
  });

  it("SIGTERM during a start-up step that never returns: runs the hooks and resolves 0 (regression: --rootfs /proc/self ran forever)", async () => {
    const stopPlatform = vi.fn();
    let started = false;
    const runDemo = (_o: DemoOptions, io: DemoIo): Promise<RunningDemo> => {
      io.shutdown.add("platform", stopPlatform);
      started = true;
      return new Promise<RunningDemo>(() => {});
    };
    const t = fakeIo({ runDemo });
    const result = runCli(["--virtual-time", "--duration", "2s"], t.io);
    await vi.waitFor(() => expect(started).toBe(true));
    t.signals.emit("SIGTERM");
    expect(await result).toBe(0);
    expect(stopPlatform).toHaveBeenCalledOnce();
    expect(t.stdout()).toContain("[v8r-demo] SIGTERM (press Ctrl-C again to force): stopping");
    expect(t.signals.listenerCount("SIGTERM")).toBe(0);
  });

  it("exits 2 with the reason when the start-up refuses an input (a UsageError)", async () => {
    const { UsageError } = await import("./usage-error.ts");
    const runDemo = (): Promise<RunningDemo> => Promise.reject(new UsageError("the root filesystem /x (--rootfs) cannot hold the Linux files"));
    const t = fakeIo({ runDemo });
    expect(await runCli([], t.io)).toBe(2);
    expect(t.stdout()).toContain("v8r    | [v8r-demo] the root filesystem /x (--rootfs) cannot hold the Linux files\n");
  });

  it("ends by itself with the code of a finished virtual-time run", async () => {
    const runDemo = async () => ({ ...running, finished: Promise.resolve(0) });
    const t = fakeIo({ runDemo });
    expect(await runCli(["--virtual-time", "--duration", "1h"], t.io)).toBe(0);
    expect(t.stdout()).toContain("stops by itself");
  });

  it("a run that ended by itself exits with its own code; a hook's code (a stop's) counts only where that is 0", async () => {
    const ends = (code: number) => async (_o: DemoOptions, io: DemoIo): Promise<RunningDemo> => {
      io.shutdown.add("the programs' failures", () => 7);
      return { ...running, finished: Promise.resolve(code) };
    };
    expect(await runCli(["--virtual-time", "--duration", "1h"], fakeIo({ runDemo: ends(1) }).io)).toBe(1);
    expect(await runCli(["--virtual-time", "--duration", "1h"], fakeIo({ runDemo: ends(0) }).io)).toBe(7);
  });

  it("lints a --config file first and exits 2 without booting when it has errors", async () => {
    const file = join(dir, "bad.dts");
    await writeFile(file, (await readDefaultConfig()).replaceAll("<0xa &", "<0x800 &"));
    const runDemo = vi.fn(async () => running);
    const t = fakeIo({ runDemo });
    expect(await runCli(["--config", file], t.io)).toBe(2);
    expect(runDemo).not.toHaveBeenCalled();
    expect(t.stderr()).toContain("error[evtchn-port-invalid]");
    expect(t.stderr()).toContain(`not booting ${file}`);
  });

  it("passes a clean --config file to runDemo", async () => {
    const file = join(dir, "ok.dts");
    await writeFile(file, await readDefaultConfig());
    const runDemo = vi.fn(async (_o: DemoOptions, _io: DemoIo) => ({ ...running, finished: Promise.resolve(0) }));
    const t = fakeIo({ runDemo });
    expect(await runCli(["--config", file, "--virtual-time", "--duration", "1s"], t.io)).toBe(0);
    expect(runDemo.mock.calls[0]?.[1].config).toMatchObject({ file, bundled: false });
  });

  it("reports a start-up failure, runs the hooks registered so far, and exits 1", async () => {
    const hook = vi.fn();
    const runDemo = async (_o: DemoOptions, io: DemoIo): Promise<RunningDemo> => {
      io.shutdown.add("half-started", hook);
      throw new Error("[linux-shim] port 8080 on 127.0.0.1 is in use");
    };
    const t = fakeIo({ runDemo });
    expect(await runCli([], t.io)).toBe(1);
    expect(hook).toHaveBeenCalledOnce();
    expect(t.stdout()).toContain("port 8080 on 127.0.0.1 is in use");
  });

  it("draws the progress line on a terminal's stderr and clears it at the end", async () => {
    const runDemo = async (_o: DemoOptions, io: DemoIo) => {
      io.progress("[#---] 25%");
      return { ...running, finished: Promise.resolve(0) };
    };
    const err: string[] = [];
    const t = fakeIo({ runDemo, stderr: { isTTY: true, write: (s) => void err.push(s) } });
    expect(await runCli(["--virtual-time", "--duration", "1h"], t.io)).toBe(0);
    expect(err).toEqual(["\r[#---] 25%\x1b[K", "\r\x1b[K"]);
  });

  it("draws no progress line when stderr is not a terminal", async () => {
    const runDemo = async (_o: DemoOptions, io: DemoIo) => {
      io.progress("[#---] 25%");
      return { ...running, finished: Promise.resolve(0) };
    };
    const t = fakeIo({ runDemo });
    expect(await runCli(["--virtual-time", "--duration", "1h"], t.io)).toBe(0);
    expect(t.stderr()).toBe("");
  });
});
