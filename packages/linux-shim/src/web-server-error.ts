/** The error a web server engine raises when it cannot start. @module */

/** Why a web server could not start, as a stable code. */
export type WebServerErrorCode = "EADDRINUSE" | "ENGINE_MISSING" | "NO_DOCKER_ENGINE" | "START_FAILED" | "ROOT_MISSING";

/** A web server that could not start for a reason the caller is expected to handle. */
export class WebServerError extends Error {
  /** What went wrong, e.g. `"EADDRINUSE"`. */
  readonly code: WebServerErrorCode;
  /** Build an error; `message` says what was being done and what was wrong. */
  constructor(code: WebServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WebServerError";
    this.code = code;
  }
}
