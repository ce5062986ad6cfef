/**
 * The error the IPC service throws for conditions callers must handle
 * (not bound yet, no buffer, instance not open). `code` is the errno name
 * Zephyr's function would return, `errno` its negative value.
 *
 * @module
 */
import { Errno, type ErrnoName } from "../kernel/errno.ts";

/** A failed IPC service call: `code` `"ENOTCONN"` for a send before `bound`, `"ENOMEM"` when no TX buffer is free, ... */
export class IpcError extends Error {
  /** errno name, e.g. `"ENOTCONN"`. */
  readonly code: ErrnoName;
  /** What Zephyr's C function would return: the negated errno (e.g. -128). */
  readonly errno: number;

  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: ErrnoName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "IpcError";
    this.code = code;
    this.errno = -Errno[code];
  }
}
