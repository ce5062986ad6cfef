import type { SourceLocation } from "./diagnostic.ts";

/** Stable codes of {@link XenBootError}. */
export const XEN_BOOT_ERROR_CODES = [
  "image-missing",
  "image-unresolved",
  "domain-invalid",
  "shm-invalid",
  "shm-map-failed",
  "evtchn-invalid",
  "domain-start-failed",
  "faults-invalid",
] as const;

/** Code of a {@link XenBootError}. */
export type XenBootErrorCode = (typeof XEN_BOOT_ERROR_CODES)[number];

/**
 * `bootXen` could not boot the configuration: a domain v8r cannot load (no
 * `v8r,image`), a region it cannot map, a channel it cannot bind, an image
 * that failed to start. Carries the domain and, when known, the place in the
 * device tree.
 */
export class XenBootError extends Error {
  /** Stable code, e.g. `"image-missing"`. */
  readonly code: XenBootErrorCode;
  /** The domain concerned, when there is one. */
  readonly domain: string | undefined;
  /** Where in the device tree, when known. */
  readonly loc: SourceLocation | undefined;

  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: XenBootErrorCode, message: string, opts: { domain?: string; loc?: SourceLocation; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "XenBootError";
    this.code = code;
    this.domain = opts.domain;
    this.loc = opts.loc;
  }
}

/** `file:line:col` of a location, or just the file when the line is unknown (a .dtb). */
export function where(loc: SourceLocation): string {
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
}
