/**
 * Internal: the configuration of the RPMsg static-vrings backend with its
 * defaults, finding and mapping its static shared memory region, and how
 * transport failures become IPC service errors.
 *
 * @module
 */
import type { MemoryWindow } from "@v8r/fvp-core";
import type { DomainContext, ReservedMemoryNode } from "@v8r/xen-dom0less";
import { IpcError } from "./ipc-error.ts";
import type { IpcEndpoint } from "./ipc-service.ts";
import { LinkError, type LinkEndpoint, type LinkFactory } from "./rpmsg-link.ts";

/** Configuration of an RPMsg static-vrings instance. */
export interface RpmsgStaticVringsConfig {
  /** `"host"` (virtio driver, Zephyr's role in the demo) or `"remote"`. */
  readonly role: "host" | "remote";
  /** `xen,id` of the static shared memory region, default `"rpmsg-shm"`. */
  readonly shmId?: string;
  /** Static event channel port used as the doorbell, default 0xa. */
  readonly port?: number;
  /** RPMsg buffer size, default 512 (496-byte payloads). */
  readonly bufferSize?: number;
  /** Instance name, default `"ipc0"`. */
  readonly name?: string;
  /** How links are made; default: `@v8r/openamp-wasm`. */
  readonly linkFactory?: LinkFactory;
  /**
   * Look at the rings every this many ms even without a doorbell, so a lost
   * event notification delays messages instead of stalling the link (real
   * Zephyr has no such poll; v8r's fault injection drops events); default
   * 250, 0 turns it off.
   */
  readonly pollMs?: number;
}

/** A configuration with its defaults applied (the link factory stays optional). */
export type ResolvedConfig = Required<Omit<RpmsgStaticVringsConfig, "linkFactory">> & Pick<RpmsgStaticVringsConfig, "linkFactory">;

/** RPMsg header bytes in each buffer. */
export const RPMSG_HEADER = 16;

/** Apply the defaults; TypeError/RangeError for a bad role or poll period. */
export function resolveConfig(config: RpmsgStaticVringsConfig): ResolvedConfig {
  if (config.role !== "host" && config.role !== "remote") {
    throw new TypeError(`[zephyr-shim] creating an RPMsg IPC instance: role must be "host" or "remote", not ${String(config.role)}`);
  }
  const pollMs = config.pollMs ?? 250;
  if (!(Number.isInteger(pollMs) && pollMs >= 0)) {
    throw new RangeError(`[zephyr-shim] creating an RPMsg IPC instance: pollMs must be a whole number of ms >= 0, not ${pollMs}`);
  }
  return {
    role: config.role,
    shmId: config.shmId ?? "rpmsg-shm",
    port: config.port ?? 0xa,
    bufferSize: config.bufferSize ?? 512,
    name: config.name ?? "ipc0",
    pollMs,
    ...(config.linkFactory !== undefined ? { linkFactory: config.linkFactory } : {}),
  };
}

/** Find the `xen-shmem` node with `xen,id` = `shmId` and map it; IpcError ENOENT when either fails. */
export function mapRegion(ctx: DomainContext, shmId: string, what: string): { node: ReservedMemoryNode; shm: MemoryWindow } {
  const node = ctx.reservedMemory.find((n) => n.xenId === shmId);
  if (!node) {
    const found = ctx.reservedMemory.map((n) => n.xenId).join(", ") || "none";
    throw new IpcError("ENOENT", `[zephyr-shim] ${what}: no xen-shmem reserved-memory node has xen,id "${shmId}" (found: ${found})`);
  }
  try {
    return { node, shm: ctx.mapSharedMemory(shmId) };
  } catch (cause) {
    throw new IpcError("ENOENT", `[zephyr-shim] ${what}: mapping ${shmId} failed: ${String(cause)}`, { cause });
  }
}

/** A transport failure as the IpcError the IPC service throws (a LinkError keeps its code; anything else is EIO). */
export function wrapLinkError(what: string, ept: IpcEndpoint, cause: unknown): IpcError {
  if (cause instanceof IpcError) return cause;
  const code = cause instanceof LinkError ? cause.code : "EIO";
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new IpcError(code, `[zephyr-shim] ${what} on ${ept.name}: ${reason}`, { cause });
}

/** Destroy a link endpoint that may belong to a link that is gone already. */
export function safeDestroy(le: LinkEndpoint): void {
  try {
    le.destroy();
  } catch {
    // the link may be gone already; nothing to release then
  }
}
