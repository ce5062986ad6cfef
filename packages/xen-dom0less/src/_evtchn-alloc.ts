/**
 * Internal: the ports Xen gives static event channels, worked out the way it allocates them at
 * boot (used by the linter to report, and by the boot plan to bind). For each channel in creation
 * order, the first end's port is allocated in its domain, then the peer's. Port 0 means "the
 * first free port". A port above the domain's `max_evtchn_port` (1023 for a domU; dom0 and
 * domains with the hardware or xenstore capability are not limited) or beyond the 2-level ABI
 * (4095: static channels are bound before a guest could switch to FIFO) is refused, and so is a
 * port already in use.
 */
import { DOMAIN_CAPS, type Dom0lessConfig, type EvtchnEndConfig } from "./dom0less-config.ts";
import { EVTCHN_2L_PORTS } from "./_evtchn-layout.ts";

/** The highest event channel port Xen lets a domU use (`max_evtchn_port` of dom0less domUs). */
export const DOMU_MAX_EVTCHN_PORT = 1023;

/** Why Xen refuses an end's port. */
export interface PortProblem {
  /** The end concerned. */
  readonly end: EvtchnEndConfig;
  /** `range`: above the domain's limit; `busy`: already in use; `full`: no free port for port 0. */
  readonly kind: "range" | "busy" | "full";
  /** The domain's highest port. */
  readonly max: number;
  /** For `busy`, the end that took the port first. */
  readonly takenBy?: EvtchnEndConfig;
}

/** The outcome of allocating every static port. */
export interface PortAllocation {
  /** The port each end (by node path) gets, for the ends Xen could allocate. */
  readonly ports: ReadonlyMap<string, number>;
  /** Ends Xen refuses. */
  readonly problems: readonly PortProblem[];
}

/** The highest static port Xen allows in `domain` (`"dom0"` or a domain name). */
export function maxStaticPort(config: Dom0lessConfig, domain: string): number {
  const d = config.domains.find((x) => x.name === domain);
  const unlimited = domain === "dom0" || ((d?.capabilities ?? 0) & (DOMAIN_CAPS.hardware | DOMAIN_CAPS.xenstore)) !== 0;
  return unlimited ? EVTCHN_2L_PORTS - 1 : DOMU_MAX_EVTCHN_PORT;
}

/** Allocates the ports of `config.eventChannels` as Xen does at boot. */
export function allocateStaticPorts(config: Dom0lessConfig): PortAllocation {
  const used = new Map<string, Map<number, EvtchnEndConfig>>();
  const ports = new Map<string, number>();
  const problems: PortProblem[] = [];
  const take = (end: EvtchnEndConfig): void => {
    const max = maxStaticPort(config, end.domain);
    let inUse = used.get(end.domain);
    if (inUse === undefined) {
      inUse = new Map();
      used.set(end.domain, inUse);
    }
    let port = end.port;
    if (port === 0) {
      port = 1; // port 0 itself is reserved
      while (port <= max && inUse.has(port)) port++;
      if (port > max) return void problems.push({ end, kind: "full", max });
    } else if (port > max) {
      return void problems.push({ end, kind: "range", max });
    } else if (inUse.has(port)) {
      return void problems.push({ end, kind: "busy", max, takenBy: inUse.get(port) });
    }
    inUse.set(port, end);
    ports.set(end.path, port);
  };
  for (const pair of config.eventChannels) {
    take(pair.a);
    take(pair.b);
  }
  return { ports, problems };
}
