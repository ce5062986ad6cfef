/**
 * Internal: the plain, structured-cloneable data the hypervisor hands to a
 * domain's runtime (`createContext(init, env)` in xen-runtime.ts): identity,
 * device-tree facts, shared-memory window descriptors, the event-channel
 * state buffers and the static port table. No live objects cross.
 */
import type { GicDescriptor, WindowDescriptor } from "@v8r/fvp-core";
import type { ReservedMemoryNode } from "./domain-context.ts";
import type { StaticPort } from "./event-channel.ts";
import type { WakeMode } from "./_vcpu.ts";
import type { SendFaultPlan } from "./faults.ts";

/** Everything a domain instance starts from. */
export interface DomainInit {
  /** Always `"v8r.xen-domain"`. */
  readonly kind: "v8r.xen-domain";
  /** How the domains run. */
  readonly mode: WakeMode;
  /** Domain id. */
  readonly domid: number;
  /** Domain name. */
  readonly name: string;
  /** Kernel command line. */
  readonly bootargs: string;
  /** URL of the WASI program the kernel module names, when it names one. */
  readonly program?: string;
  /** RAM in KiB. */
  readonly memoryKiB: number;
  /** Instance number (0 at boot, +1 per restart). */
  readonly generation: number;
  /** Whether the domain has its own vpl011 console (else its output goes to Xen's console, prefixed `(dN)`). */
  readonly vpl011: boolean;
  /** The `xen-shmem` reserved-memory nodes of its device tree. */
  readonly reservedMemory: readonly ReservedMemoryNode[];
  /** Static shared memory regions mapped into it, by id, with a window on the region's bytes (base = guest address). */
  readonly shm: readonly { readonly id: string; readonly window: WindowDescriptor }[];
  /** Its vGIC (one CPU interface per vCPU): the event-channel upcall and console interrupts. */
  readonly vgic: GicDescriptor;
  /** Event channels: its own state, its static ports, the state and vGIC of every other domain and the hypervisor's channel table. */
  readonly evtchn: {
    readonly state: SharedArrayBuffer;
    readonly ports: readonly StaticPort[];
    readonly peers: readonly { readonly domid: number; readonly state: SharedArrayBuffer; readonly vgic: GicDescriptor }[];
    readonly table?: SharedArrayBuffer;
  };
  /** Send-path fault injection. */
  readonly faults?: SendFaultPlan;
  /** Worker mode: µs the idle vCPU polls before sleeping. */
  readonly spinUs?: number;
}

/** Host -> guest control message envelope (`ctx.onControl` gets `msg`). */
export interface ControlEnvelope {
  readonly xen: "control";
  readonly msg: unknown;
}

/** Host -> guest: a domain created after this one started, which a channel made at run time may lead to. */
export interface PeerEnvelope {
  readonly xen: "peer";
  readonly peer: DomainInit["evtchn"]["peers"][number];
}

/** Guest -> host: the domain asked to shut down. */
export interface ShutdownEnvelope {
  readonly xen: "shutdown";
  readonly reason: "poweroff" | "reboot" | "crash";
  /** What the guest says about it (e.g. a program's exit status), for Xen's console. */
  readonly detail?: string;
}

/** TypeError unless `init` has the shape of a {@link DomainInit}. */
export function checkDomainInit(init: unknown): DomainInit {
  const i = init as Partial<DomainInit> | null;
  const ok =
    i !== null &&
    typeof i === "object" &&
    i.kind === "v8r.xen-domain" &&
    typeof i.vgic === "object" &&
    i.vgic !== null &&
    typeof i.domid === "number" &&
    typeof i.name === "string" &&
    typeof i.evtchn === "object" &&
    i.evtchn !== null &&
    i.evtchn.state instanceof SharedArrayBuffer &&
    Array.isArray(i.evtchn.ports) &&
    Array.isArray(i.evtchn.peers) &&
    Array.isArray(i.shm) &&
    Array.isArray(i.reservedMemory);
  if (!ok) {
    throw new TypeError(`[xen-dom0less] creating a domain context: init is not a "v8r.xen-domain" descriptor (start domains with bootXen)`);
  }
  return i as DomainInit;
}
