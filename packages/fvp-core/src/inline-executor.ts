import { runGuest, toUrl } from "./_guest-runtime.ts";
import { HostGuestHandle } from "./_guest-handle.ts";
import type { Executor, GuestHandle, GuestHost, GuestSpec } from "./executor.ts";
import { PREFIX } from "./_format.ts";
import { describeError } from "./guest-error.ts";
import type { CpuHandle } from "./cpu.ts";

/**
 * Runs every guest in the calling thread. Guest code is async and shares the
 * event loop; with a {@link VirtualClock} driven by `run()` the whole system
 * is deterministic (run-to-completion: one callback at a time, timers in
 * order, interrupts dispatched as microtasks). Messages are structured-cloned
 * like in worker mode.
 *
 * @example
 * ```ts
 * const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock(), executor: new InlineExecutor() });
 * await platform.startGuest({ name: "g", image: new URL("./guest.ts", import.meta.url), cpus: [0] });
 * ```
 */
export class InlineExecutor implements Executor {
  /** Always `"inline"`. */
  readonly kind = "inline" as const;

  /** Load and start a guest in this thread. */
  async start(spec: GuestSpec, platform: GuestHost): Promise<GuestHandle> {
    const cpus = pickCpus(spec, platform);
    const image = toUrl(spec.name, "image", spec.image);
    const runtime = spec.runtime === undefined ? undefined : toUrl(spec.name, "runtime", spec.runtime);
    const uart = platform.uartFor(spec);
    const handle = new HostGuestHandle(spec.name, platform.trace);
    const init = cloneInit(spec);
    const guest = await runGuest({
      name: spec.name,
      image,
      runtime,
      init,
      clock: platform.clock,
      cpus,
      gic: platform.gic,
      trace: platform.trace,
      console: (b) => uart.write(b),
      postControl: (msg) => {
        const copy = structuredClone(msg);
        queueMicrotask(() => handle.deliver(copy));
      },
      starting: () => handle.started(),
      crashed: (info) => handle.crashed(info),
    });
    const offInput = uart.onInput((b) => guest.input(b));
    handle.send = (msg) => {
      const copy = structuredClone(msg);
      queueMicrotask(() => guest.control(copy));
    };
    handle.teardown = async (reason) => {
      offInput();
      await guest.stop(reason);
    };
    return handle;
  }
}

/** The platform CPUs a spec names; RangeError for a bad list. */
export function pickCpus(spec: GuestSpec, platform: GuestHost): CpuHandle[] {
  if (!Array.isArray(spec.cpus) || spec.cpus.length === 0) {
    throw new RangeError(`${PREFIX} starting guest "${spec.name}": cpus must list at least one CPU index`);
  }
  return spec.cpus.map((i) => {
    const cpu = platform.cpus[i];
    if (!cpu) throw new RangeError(`${PREFIX} starting guest "${spec.name}": CPU ${i} does not exist (the platform has ${platform.cpus.length})`);
    return cpu;
  });
}

/** A structured clone of the spec's init, as a Worker would receive it; TypeError when it cannot be cloned. */
function cloneInit(spec: GuestSpec): unknown {
  try {
    return structuredClone(spec.init);
  } catch (e) {
    throw new TypeError(`${PREFIX} starting guest "${spec.name}": its init cannot be structured-cloned (${describeError(e).error})`, { cause: e });
  }
}
