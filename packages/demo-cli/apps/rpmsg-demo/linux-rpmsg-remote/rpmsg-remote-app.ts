/**
 * The rpmsg-remote application of the Linux guest: configuration from the
 * kernel command line, the `rpmsg-demo` and `rpmsg-ctrl` console commands,
 * and the service lifecycle (started at boot unless `autorun=0`).
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type { OpenAmp } from "@v8r/openamp-wasm";
import { bootLinux, type LinuxSystem, type RootFs } from "@v8r/linux-shim";
import { bootargFlag, bootargInt, type DomainContext, parseBootargs } from "@v8r/xen-dom0less";
import { LINK_DEFAULTS } from "../protocol/mod.ts";
import { serveCtrlRequests } from "./_ctrl-requests.ts";
import { registerRpmsgCommands } from "./_rpmsg-commands.ts";
import { RpmsgDemoService } from "./rpmsg-demo-service.ts";

/** rpmsg-remote settings, read from bootargs by {@link rpmsgRemoteConfig}. */
export interface RpmsgRemoteConfig {
  /** Start the service at boot (`autorun=0` turns it off, like the original's `XEN_DOM0LESS_DOM_LINUX_DEMO_AUTORUN`). */
  readonly autorun: boolean;
  /** `xen,id` of the shared memory region (`shm_id=`, default `rpmsg-shm`). */
  readonly shmId: string;
  /** Doorbell port (`evtchn=`, default 0xa). */
  readonly port: number;
  /** Physical address of the region in the descriptors (`shm_phys=`), default the region's guest address. */
  readonly physBase: number | undefined;
  /** Host directory for the root filesystem (`rootfs=/abs/dir`, Node and Deno only), else an in-memory tree. */
  readonly rootfsDir: string | undefined;
  /** Link check period, ms (`link_poll_ms=`, default 250). */
  readonly linkPollMs: number;
}

/**
 * Read the rpmsg-remote settings from a kernel command line.
 *
 * @example
 * ```ts
 * rpmsgRemoteConfig("console=hvc0 autorun=0 evtchn=0xb").port; // 11
 * ```
 */
export function rpmsgRemoteConfig(bootargs: string): RpmsgRemoteConfig {
  const args = parseBootargs(bootargs);
  const rootfsDir = args.get("rootfs") || undefined;
  if (rootfsDir !== undefined && !rootfsDir.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(rootfsDir)) {
    throw new TypeError(`[rpmsg-demo] bootargs: rootfs=${rootfsDir} must be an absolute host path`);
  }
  const port = bootargInt(args, "evtchn", LINK_DEFAULTS.port, { min: 1 });
  const phys = args.has("shm_phys") ? bootargInt(args, "shm_phys", 0) : undefined;
  return {
    autorun: bootargFlag(args, "autorun", true),
    shmId: args.get("shm_id") || LINK_DEFAULTS.shmId,
    port,
    physBase: phys,
    rootfsDir,
    linkPollMs: bootargInt(args, "link_poll_ms", 250),
  };
}

/** Options of {@link runRpmsgRemote}. */
export interface RunRpmsgRemoteOptions {
  /** Root filesystem (the guest image passes a host-directory one for `rootfs=`); default in memory. */
  readonly rootfs?: RootFs;
  /** A loaded OpenAMP module (default: loaded on first start). */
  readonly openamp?: OpenAmp;
  /** Settings; default read from `ctx.bootargs`. */
  readonly config?: RpmsgRemoteConfig;
}

/**
 * The rpmsg-remote application on a booted Linux: owns the service and the
 * console commands `rpmsg-demo [status|stop]` and `rpmsg-ctrl ping|period MS|sample`.
 *
 * @example
 * ```ts
 * const app = await runRpmsgRemote(ctx); // boots Linux; starts the service unless autorun=0
 * await app.startService();              // what typing `rpmsg-demo` does
 * ```
 */
export class RpmsgRemoteApp {
  /** The Linux system it runs on. */
  readonly linux: LinuxSystem;
  /** Its settings. */
  readonly config: RpmsgRemoteConfig;
  readonly #openamp: OpenAmp | undefined;
  #service: RpmsgDemoService | undefined;
  #starting: Promise<RpmsgDemoService> | undefined;

  /** Attach to `linux` and register the console commands (does not start the service). */
  constructor(linux: LinuxSystem, config: RpmsgRemoteConfig, openamp?: OpenAmp) {
    this.linux = linux;
    this.config = config;
    this.#openamp = openamp;
    registerRpmsgCommands(this);
  }

  /** The running service, if started. */
  get service(): RpmsgDemoService | undefined {
    return this.#service;
  }

  /** Start the rpmsg-demo service (idempotent: resolves with the running one). */
  startService(): Promise<RpmsgDemoService> {
    if (this.#service) return Promise.resolve(this.#service);
    this.#starting ??= (async () => {
      try {
        const { config, linux } = this;
        this.#service = await RpmsgDemoService.start({
          linux,
          shmId: config.shmId,
          port: config.port,
          linkPollMs: config.linkPollMs,
          ...(config.physBase === undefined ? {} : { physBase: config.physBase }),
          ...(this.#openamp ? { openamp: this.#openamp } : {}),
        });
        linux.shell.notice(
          `rpmsg-remote: started on xen-shmem "${config.shmId}" (${this.#service.layout.num} buffers each way), evtchn port ${config.port}; writing /usr/share/nginx/html/zephyr-status.html\n`,
        );
        return this.#service;
      } finally {
        this.#starting = undefined;
      }
    })();
    return this.#starting;
  }

  /** Stop the service if it runs. */
  async stopService(): Promise<void> {
    const svc = this.#service;
    this.#service = undefined;
    await svc?.stop();
  }
}

/**
 * Boot Linux on `ctx` and run rpmsg-remote: the whole guest image minus the
 * choice of root filesystem. Besides its console commands it answers
 * `rpmsg-demo.ctrl` control messages (see the protocol's
 * `platform-control.ts`).
 */
export async function runRpmsgRemote(ctx: DomainContext, options: RunRpmsgRemoteOptions = {}): Promise<RpmsgRemoteApp> {
  const config = options.config ?? rpmsgRemoteConfig(ctx.bootargs ?? "");
  const linux = await bootLinux(ctx, { shell: false, ...(options.rootfs ? { rootfs: options.rootfs } : {}) });
  const app = new RpmsgRemoteApp(linux, config, options.openamp);
  serveCtrlRequests(app);
  if (config.autorun) {
    try {
      await app.startService();
    } catch (err) {
      ctx.console.write(`rpmsg-remote: could not start: ${describeError(err).error}\n`);
    }
  } else {
    ctx.console.write("rpmsg-remote: autorun is off; type `rpmsg-demo` to start the service and `nginx` to serve the page\n");
  }
  linux.startConsole();
  return app;
}
