/** OpenAMP error numbers, as upstream defines them (rpmsg.h). */
export const RpmsgErrorCode = {
  RPMSG_ERR_NO_MEM: -2001,
  RPMSG_ERR_NO_BUFF: -2002,
  RPMSG_ERR_PARAM: -2003,
  RPMSG_ERR_DEV_STATE: -2004,
  RPMSG_ERR_BUFF_SIZE: -2005,
  RPMSG_ERR_INIT: -2006,
  RPMSG_ERR_ADDR: -2007,
  RPMSG_ERR_PERM: -2008,
  RPMSG_EOPNOTSUPP: -2009,
} as const;

/** One of the OpenAMP error names. */
export type RpmsgErrorName = keyof typeof RpmsgErrorCode;

/** The name of an OpenAMP error number, or undefined for an unknown number. */
export function rpmsgErrorName(code: number): RpmsgErrorName | undefined {
  for (const [name, value] of Object.entries(RpmsgErrorCode)) {
    if (value === code) return name as RpmsgErrorName;
  }
  return undefined;
}

/** `code` of an {@link RpmsgError} whose number OpenAMP does not define. */
export const RPMSG_ERR_UNKNOWN = "RPMSG_ERR_UNKNOWN";

/**
 * A condition callers are expected to handle: `code` is the stable name
 * (e.g. `"RPMSG_ERR_NO_BUFF"`), `errno` upstream's number (e.g. -2002).
 */
export class RpmsgError extends Error {
  /** The OpenAMP error name, or {@link RPMSG_ERR_UNKNOWN}. */
  readonly code: RpmsgErrorName | typeof RPMSG_ERR_UNKNOWN;
  /** The OpenAMP error number (negative), as upstream returns it. */
  readonly errno: number;

  /** Build an error for OpenAMP error number `errno` while `doing` something. */
  constructor(errno: number, doing: string, options?: { cause?: unknown }) {
    const name = rpmsgErrorName(errno);
    super(`[openamp-wasm] ${doing}: ${name ?? `error ${errno}`} (${errno})`, options);
    this.name = "RpmsgError";
    this.code = name ?? RPMSG_ERR_UNKNOWN;
    this.errno = errno;
  }
}

/** Throw an RpmsgError when `ret` is negative; otherwise return it. */
export function checkCode(ret: number, doing: string): number {
  if (ret < 0) throw new RpmsgError(ret, doing);
  return ret;
}
