/**
 * Zephyr's errno numbers for the codes this shim returns (values as in
 * Zephyr's minimal libc `errno.h`). Kernel calls return them negated, as
 * Zephyr does (`-EAGAIN` when a semaphore take times out).
 *
 * @module
 */

/** errno values used by the kernel and IPC service (positive; APIs return them negated). */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EINTR: 4,
  EIO: 5,
  EAGAIN: 11,
  ENOMEM: 12,
  EBUSY: 16,
  EINVAL: 22,
  ENOSPC: 28,
  ENOMSG: 35,
  EBADMSG: 77,
  ENOSYS: 88,
  ENOBUFS: 105,
  ETIMEDOUT: 116,
  EALREADY: 120,
  EMSGSIZE: 122,
  ENOTCONN: 128,
  ENOTSUP: 134,
  ECANCELED: 140,
} as const;

/** One errno name, e.g. `"EAGAIN"`. */
export type ErrnoName = keyof typeof Errno;
