/**
 * Errors of the Linux guest layer that callers are expected to handle,
 * named by the errno a Linux system call would return.
 *
 * @module
 */

/** Linux errno names used by {@link LinuxError}. */
export const LinuxErrno = {
  EBADF: "EBADF",
  EBUSY: "EBUSY",
  EINVAL: "EINVAL",
  ENOENT: "ENOENT",
  ENOTCONN: "ENOTCONN",
  EFBIG: "EFBIG",
  ENOTTY: "ENOTTY",
  ETIMEDOUT: "ETIMEDOUT",
  ECANCELED: "ECANCELED",
  EMSGSIZE: "EMSGSIZE",
  EIO: "EIO",
  EPROTO: "EPROTO",
  EISCONN: "EISCONN",
  ENOSYS: "ENOSYS",
  EPERM: "EPERM",
  ESRCH: "ESRCH",
  ENOSPC: "ENOSPC",
  ENXIO: "ENXIO",
} as const;

/** One of the errno names in {@link LinuxErrno}. */
export type LinuxErrnoName = (typeof LinuxErrno)[keyof typeof LinuxErrno];

/**
 * A failed guest operation (device file, shared memory lookup, or a
 * request of an application running on it) with the errno name in `code`.
 *
 * @example
 * ```ts
 * try { file.ioctl(IOCTL_EVTCHN_NOTIFY, { port: 99 }); }
 * catch (e) { if (e instanceof LinuxError && e.code === "ENOTCONN") console.log("port not bound"); }
 * ```
 */
export class LinuxError extends Error {
  /** The Linux errno name, e.g. `"ENOTCONN"`. */
  readonly code: LinuxErrnoName;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: LinuxErrnoName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LinuxError";
    this.code = code;
  }
}
