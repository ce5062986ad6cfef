import { runGuest } from "./_guest-runtime.ts";
import { resolveSpec } from "./_guest-spec.ts";
import type { Executor, GuestHandle, GuestHost, GuestSpec } from "./executor.ts";
import { PREFIX } from "./_format.ts";
import { describeError } from "./guest-error.ts";

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
    const { cpus, image, runtime, uart, handle } = resolveSpec(spec, platform);
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

/** A structured clone of the spec's init, as a Worker would receive it; TypeError when it cannot be cloned. */
function cloneInit(spec: GuestSpec): unknown {
  try {
    return structuredClone(spec.init);
  } catch (e) {
    throw new TypeError(`${PREFIX} starting guest "${spec.name}": its init cannot be structured-cloned (${describeError(e).error})`, { cause: e });
  }
}
