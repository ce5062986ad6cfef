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

/**
 * A condition callers are expected to handle, carrying the OpenAMP error
 * number (`code`, e.g. -2002) and its name.
 */
export class RpmsgError extends Error {
  /** OpenAMP error number (negative). */
  readonly code: number;
  /** Symbolic name of `code`, e.g. "RPMSG_ERR_NO_BUFF". */
  readonly codeName: string;

  /** Build an error for `code` while `doing` something. */
  constructor(code: number, doing: string, options?: { cause?: unknown }) {
    const codeName = rpmsgErrorName(code) ?? `error ${code}`;
    super(`[openamp-wasm] ${doing}: ${codeName} (${code})`, options);
    this.name = "RpmsgError";
    this.code = code;
    this.codeName = codeName;
  }
}

/** Throw an RpmsgError when `ret` is negative; otherwise return it. */
export function checkCode(ret: number, doing: string): number {
  if (ret < 0) throw new RpmsgError(ret, doing);
  return ret;
}
