/** Stable codes of {@link GuestError}. */
export const GuestErrorCode = {
  /** The image or runtime module could not be loaded, or has no `start`/`createContext` export. */
  LOAD_FAILED: "load-failed",
  /** The executor cannot run this guest (e.g. a Worker guest on a VirtualClock). */
  UNSUPPORTED: "unsupported",
} as const;

/** One of the codes in {@link GuestErrorCode}. */
export type GuestErrorCodeName = (typeof GuestErrorCode)[keyof typeof GuestErrorCode];

/** A guest could not be started; `code` says why, `guest` which one. */
export class GuestError extends Error {
  /** Why, see {@link GuestErrorCode}. */
  readonly code: GuestErrorCodeName;
  /** The guest's name. */
  readonly guest: string;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: GuestErrorCodeName, guest: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GuestError";
    this.code = code;
    this.guest = guest;
  }
}

/** Message and stack of any thrown value. */
export function describeError(e: unknown): { error: string; stack?: string } {
  if (e instanceof Error) return e.stack ? { error: e.message, stack: e.stack } : { error: e.message };
  return { error: String(e) };
}
