/**
 * Test harness: two domains on the real hypervisor (bootXen, inline, on a
 * VirtualClock), "zephyr" and "linux", sharing the static shm "rpmsg-shm"
 * and the static event channel 0xa, each running the main the test gives:
 * by default the real rpmsg-host and rpmsg-remote, so each app is tested
 * against the other app's real code.
 */
import { createPlatform, FVP_BaseR_AEMv8R, type FvpTraceEvent, InlineExecutor, MemorySink, VirtualClock } from "@v8r/fvp-core";
import type { LinuxShimEvent } from "@v8r/linux-shim";
import { bootXen, type Dom0lessConfig, type DomainContext, formatDiagnostic, loadDom0lessConfig, parseDts, type Xen, type XenBusEvent } from "@v8r/xen-dom0less";
import { type GuestMain, register, unregister } from "./_registry.ts";
import { type RpmsgHostApp, type RpmsgHostEvent, runRpmsgHost } from "../zephyr-rpmsg-host/mod.ts";
import { type RpmsgRemoteApp, type RpmsgRemoteEvent, runRpmsgRemote } from "../linux-rpmsg-remote/mod.ts";

/** The events on the test system's trace bus: the platform's, Xen's, and those of both apps and the Linux shim. */
export type SystemEvent = FvpTraceEvent | XenBusEvent<RpmsgHostEvent | RpmsgRemoteEvent | LinuxShimEvent>;

const IMAGE = new URL("./guests/registered.ts", import.meta.url).href;

/** Options of {@link bootDemoSystem}. */
export interface DemoSystemOptions {
  /** What Zephyr runs (default the real rpmsg-host). */
  readonly zephyr?: GuestMain;
  /** What Linux runs (default the real rpmsg-remote). */
  readonly linux?: GuestMain;
  /** Bootargs of each domain. */
  readonly zephyrArgs?: string;
  readonly linuxArgs?: string;
  /** Size of the shared region (default 64 KiB: 32 buffers each way). */
  readonly shmSize?: number;
}

/** One domain of {@link demoDts}. */
export interface DtsDomain {
  /** Its `v8r,image`. */
  readonly image: string;
  /** Its `bootargs`. */
  readonly bootargs: string;
}

/** The device tree of the tests: "zephyr" and "linux", 64 MiB and one vCPU each, sharing "rpmsg-shm" (`shmSize` bytes) and event channel 0xa. */
export function demoDts(zephyr: DtsDomain, linux: DtsDomain, shmSize = 0x10000): string {
  const domain = (name: string, d: DtsDomain, label: string, peer: string): string => `
    ${name} {
      compatible = "xen,domain";
      #address-cells = <1>;
      #size-cells = <1>;
      memory = <0x0 0x10000>;
      cpus = <1>;
      vpl011;
      xen,enhanced = "no-xenstore";
      kernel {
        compatible = "multiboot,kernel", "multiboot,module";
        v8r,image = "${d.image}";
        bootargs = "${d.bootargs}";
      };
      shm0 {
        compatible = "xen,domain-shared-memory-v1";
        xen,shm-id = "rpmsg-shm";
        xen,shared-mem = <0x7a000000 0x7a000000 0x${shmSize.toString(16)}>;
      };
      ${label}: evtchn@a { compatible = "xen,evtchn-v1"; xen,evtchn = <0xa &${peer}>; };
    };`;
  return `/dts-v1/;
/ {
  chosen {
    #address-cells = <1>;
    #size-cells = <1>;
    xen,xen-bootargs = "console=dtuart dtuart=serial0";
${domain("zephyr", zephyr, "ecz", "ecl")}
${domain("linux", linux, "ecl", "ecz")}
  };
};
`;
}

/** Parse and load a test device tree; throws with the diagnostics when it has errors. */
export function loadDts(dts: string): Dom0lessConfig {
  const { config, diagnostics } = loadDom0lessConfig(parseDts(dts, { file: "test.dts" }));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`[test] the test device tree does not load:\n${errors.map((d) => formatDiagnostic(d)).join("\n")}`);
  return config;
}

/** Boot the system; `close()` shuts it down. */
export async function bootDemoSystem(options: DemoSystemOptions = {}) {
  const { key, registration } = register({
    zephyr: options.zephyr ?? ((ctx) => runRpmsgHost(ctx)),
    linux: options.linux ?? ((ctx) => runRpmsgRemote(ctx)),
  });
  const tag = `test_system=${key}`;
  const dts = demoDts(
    { image: IMAGE, bootargs: `${options.zephyrArgs ?? "seed=7"} ${tag}` },
    { image: IMAGE, bootargs: `${options.linuxArgs ?? "console=hvc0"} ${tag}` },
    options.shmSize,
  );
  const clock = new VirtualClock();
  const platform = createPlatform<SystemEvent>(FVP_BaseR_AEMv8R, { clock, executor: new InlineExecutor() });
  const events: SystemEvent[] = [];
  platform.trace.on((e) => events.push(e));
  const xen: Xen = await bootXen(platform, loadDts(dts));
  const consoles = { zephyr: new MemorySink(), linux: new MemorySink() };
  for (const name of ["zephyr", "linux"] as const) xen.console(name).attach(consoles[name], { replay: true });
  const ctx = (name: "zephyr" | "linux"): DomainContext => {
    const c = registration.ctx[name];
    if (c === undefined) throw new Error(`[test] ${name} has not started`);
    return c;
  };
  return {
    clock,
    platform,
    xen,
    events,
    consoles,
    ctx,
    /** The rpmsg-host of the current Zephyr boot (when Zephyr runs the default main). */
    host: (): RpmsgHostApp => registration.apps["zephyr"] as RpmsgHostApp,
    /** The rpmsg-remote (when Linux runs the default main). */
    remote: (): RpmsgRemoteApp => registration.apps["linux"] as RpmsgRemoteApp,
    /** What Zephyr's / Linux's main returned. */
    app: <T>(name: "zephyr" | "linux"): T => registration.apps[name] as T,
    /** Run virtual time on by `ms`. */
    run: async (ms: number): Promise<void> => {
      await clock.run(clock.now() + ms);
    },
    /** Type a line on the Linux console and return what it printed, once the shell is idle again. */
    type: async (line: string, ms = 200): Promise<string> => {
      const before = consoles.linux.lines.length;
      const pending = xen.console("linux").pending().length;
      xen.console("linux").input(`${line}\r`);
      await clock.run(clock.now() + ms);
      await (registration.apps["linux"] as RpmsgRemoteApp | undefined)?.linux.shell.idle();
      return `${consoles.linux.lines.slice(before).join("\n")}\n${xen.console("linux").pending().slice(pending)}`;
    },
    close: async (): Promise<void> => {
      await xen.shutdown();
      await platform.shutdown();
      unregister(key);
    },
  };
}

/** A booted test system. */
export type DemoSystem = Awaited<ReturnType<typeof bootDemoSystem>>;
