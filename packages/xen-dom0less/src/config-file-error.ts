/**
 * Reading device-tree files: the size limit every reader applies and the error a file that
 * cannot be read gives. Portable (no file system here); `@v8r/xen-dom0less/node` reads files.
 * @module
 */
import { formatBytes } from "./_diag.ts";

/**
 * Largest device-tree input v8r reads: 4 MiB, for .dts text and .dtb blobs alike, checked before
 * reading. Xen itself maps at most 2 MiB of device tree (`MAX_FDT_SIZE`), so any real
 * configuration fits with room for comments; the limit keeps `lint /dev/zero` or a runaway
 * include from reading forever.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Why a device-tree file could not be read. */
export type ConfigFileErrorCode = "not-found" | "not-a-file" | "too-large" | "unreadable";

/** A device-tree file that cannot be read: missing, not a regular file, over {@link MAX_CONFIG_BYTES}, or an I/O error. */
export class ConfigFileError extends Error {
  /** Stable code. */
  readonly code: ConfigFileErrorCode;
  /** The path as given. */
  readonly path: string;
  /** The reason without the `[xen-dom0less] reading PATH:` prefix. */
  readonly detail: string;

  /** Creates the error for `path`; `detail` says what is wrong with it. */
  constructor(code: ConfigFileErrorCode, path: string, detail: string, options?: { cause?: unknown }) {
    super(`[xen-dom0less] reading ${path}: ${detail}`, options);
    this.name = "ConfigFileError";
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}

/** The error for an input of `size` bytes over {@link MAX_CONFIG_BYTES}. */
export function tooLarge(path: string, size: number): ConfigFileError {
  return new ConfigFileError(
    "too-large",
    path,
    `it is ${formatBytes(size)}; device trees are read up to ${formatBytes(MAX_CONFIG_BYTES)} (Xen itself maps at most 2 MiB)`,
  );
}
