// What both executors work out from a GuestSpec before starting a guest.
import { PREFIX } from "./_format.ts";
import { HostGuestHandle } from "./_guest-handle.ts";
import type { Cpu } from "./cpu.ts";
import type { GuestHost, GuestSpec } from "./executor.ts";
import type { Uart } from "./uart.ts";

/** A spec checked and resolved against the platform. */
export interface ResolvedSpec {
  /** The platform CPUs it runs on. */
  readonly cpus: Cpu[];
  /** Absolute URL of the image module. */
  readonly image: string;
  /** Absolute URL of the runtime module, if any. */
  readonly runtime: string | undefined;
  /** The UART its console writes to. */
  readonly uart: Uart;
  /** The host-side handle to return. */
  readonly handle: HostGuestHandle;
}

/** Check `spec` against `platform` (RangeError for bad CPUs, TypeError for a non-absolute URL) and resolve it. */
export function resolveSpec(spec: GuestSpec, platform: GuestHost): ResolvedSpec {
  const cpus = pickCpus(spec, platform);
  return {
    cpus,
    image: toUrl(spec.name, "image", spec.image),
    runtime: spec.runtime === undefined ? undefined : toUrl(spec.name, "runtime", spec.runtime),
    uart: platform.uartFor(spec),
    handle: new HostGuestHandle(spec.name, platform.trace, cpus.map((c) => c.index)),
  };
}

function pickCpus(spec: GuestSpec, platform: GuestHost): Cpu[] {
  if (!Array.isArray(spec.cpus) || spec.cpus.length === 0) {
    throw new RangeError(`${PREFIX} starting guest "${spec.name}": cpus must list at least one CPU index`);
  }
  return spec.cpus.map((i) => {
    const cpu = platform.cpus[i];
    if (!cpu) throw new RangeError(`${PREFIX} starting guest "${spec.name}": CPU ${i} does not exist (the platform has ${platform.cpus.length})`);
    return cpu;
  });
}

function toUrl(guest: string, what: string, u: string | URL): string {
  if (u instanceof URL) return u.href;
  try {
    return new URL(u).href;
  } catch {
    throw new TypeError(`${PREFIX} starting guest "${guest}": ${what} "${u}" is not an absolute URL (use new URL("./guest.ts", import.meta.url))`);
  }
}
