/**
 * Reading a file of the guest's root filesystem on the host's request: the
 * host sends a control message naming a path, and the guest answers on the
 * trace bus with the file's bytes as they are in its root filesystem. A host
 * that cannot see the guest's files (a browser page, where the root
 * filesystem lives in the guest's memory) reads the status page this way.
 *
 * Wire shape:
 * - request (host -> guest, control message): `{ type: "linux.read-file", id, path }`
 * - answer (guest -> host, trace event): `{ type: "linux.file", id, path, ok: true, data, mtimeMs }`
 *   or `{ type: "linux.file", id, path, ok: false, code, error }`
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type { DomainContext } from "@v8r/xen-dom0less";
import { RootFsError, type RootFs } from "./rootfs.ts";

/** `type` of the control message asking for a file. */
export const LINUX_READ_FILE = "linux.read-file";
/** `type` of the trace event that answers it. */
export const LINUX_FILE = "linux.file";
/** Largest file sent back, in bytes (1 MiB); bigger files are refused with `EFBIG`. */
export const MAX_READ_FILE_BYTES = 1 << 20;

/** A request for a file, sent to the domain as a control message. */
export interface LinuxReadFileRequest {
  /** Always {@link LINUX_READ_FILE}. */
  readonly type: typeof LINUX_READ_FILE;
  /** Echoed in the answer. */
  readonly id: number;
  /** Absolute guest path, e.g. `/usr/share/nginx/html/zephyr-status.html`. */
  readonly path: string;
}

/** The guest's answer, published on the platform trace bus. */
export type LinuxFileAnswer =
  | { readonly type: typeof LINUX_FILE; readonly id: number; readonly path: string; readonly ok: true; readonly data: Uint8Array; readonly mtimeMs: number }
  | { readonly type: typeof LINUX_FILE; readonly id: number; readonly path: string; readonly ok: false; readonly code: string; readonly error: string };

/** Whether `m` is a well-formed {@link LinuxReadFileRequest}. */
export function isReadFileRequest(m: unknown): m is LinuxReadFileRequest {
  if (m === null || typeof m !== "object") return false;
  const r = m as Partial<LinuxReadFileRequest>;
  return r.type === LINUX_READ_FILE && typeof r.id === "number" && Number.isSafeInteger(r.id) && typeof r.path === "string" && r.path.startsWith("/");
}

/**
 * Answer {@link LINUX_READ_FILE} control messages with the file read from
 * `rootfs`, one {@link LINUX_FILE} trace event per request. Returns the
 * function that stops answering.
 *
 * @example
 * ```ts
 * const linux = await bootLinux(ctx);
 * const stop = serveFileReads(ctx, linux.rootfs);
 * // host: xen.post("linux", { type: "linux.read-file", id: 1, path: "/etc/hostname" })
 * ```
 */
export function serveFileReads(ctx: Pick<DomainContext, "onControl" | "publish" | "clock">, rootfs: RootFs): () => void {
  let open = true;
  const off = ctx.onControl((m) => {
    if (!isReadFileRequest(m)) return;
    // a virtual clock waits for the read, like for any real work of a guest
    void ctx.clock.hold(answer(m)).then((a) => {
      if (open) ctx.publish(a);
    });
  });
  async function answer(r: LinuxReadFileRequest): Promise<LinuxFileAnswer> {
    const base = { type: LINUX_FILE, id: r.id, path: r.path } as const;
    try {
      const st = await rootfs.stat(r.path);
      if (st.kind !== "file") return { ...base, ok: false, code: "EISDIR", error: `[linux-shim] reading ${r.path} for the host: it is a directory` };
      if (st.size > MAX_READ_FILE_BYTES) {
        return { ...base, ok: false, code: "EFBIG", error: `[linux-shim] reading ${r.path} for the host: ${st.size} bytes is over the ${MAX_READ_FILE_BYTES}-byte limit` };
      }
      const data = await rootfs.readFile(r.path);
      return { ...base, ok: true, data, mtimeMs: st.mtimeMs };
    } catch (err) {
      // a RootFsError already says which operation on which path failed
      if (err instanceof RootFsError) return { ...base, ok: false, code: err.code, error: err.message };
      return { ...base, ok: false, code: "EIO", error: `[linux-shim] reading ${r.path} for the host: ${describeError(err).error}` };
    }
  }
  return () => {
    open = false;
    off();
  };
}
