/**
 * Internal: conditional requests (RFC 9110 section 13) and byte ranges
 * (section 14) for one representation of a static file.
 *
 * A validator is only ever given out when it cannot go stale: the ETag comes
 * from the content (or, for large files, from an identity that any change
 * alters), and `Last-Modified` is only sent once the second it names is
 * over, so a second change within that same second cannot hide behind an
 * unchanged date. Without a `Last-Modified`, date conditions never answer
 * 304.
 */
import type { IncomingMessage } from "node:http";

/** The validators of what is about to be sent. */
export interface Validators {
  /** `"..."` (strong) or `W/"..."` (weak), or undefined when none is safe. */
  readonly etag: string | undefined;
  /** Last modification, whole seconds in ms, or undefined when it could still change within its second. */
  readonly lastModifiedMs: number | undefined;
}

/** What to answer before ranges are looked at. */
export type Precondition = "proceed" | "not-modified" | "failed";

/** A byte range to send, inclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

function tags(header: string): string[] {
  return header.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

function strongMatch(header: string, etag: string | undefined): boolean {
  if (header.trim() === "*") return etag !== undefined;
  return etag !== undefined && !etag.startsWith("W/") && tags(header).includes(etag);
}

function weakMatch(header: string, etag: string | undefined): boolean {
  if (header.trim() === "*") return true;
  if (etag === undefined) return false;
  const bare = etag.replace(/^W\//, "");
  return tags(header).some((t) => t.replace(/^W\//, "") === bare);
}

function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Evaluate If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order RFC 9110 13.2.2 gives. */
export function evaluatePreconditions(req: IncomingMessage, v: Validators): Precondition {
  const h = req.headers;
  if (h["if-match"] !== undefined) {
    if (!strongMatch(h["if-match"], v.etag)) return "failed";
  } else {
    const since = httpDate(h["if-unmodified-since"]);
    if (since !== undefined && (v.lastModifiedMs === undefined || v.lastModifiedMs > since)) return "failed";
  }
  if (h["if-none-match"] !== undefined) return weakMatch(h["if-none-match"], v.etag) ? "not-modified" : "proceed";
  const since = httpDate(h["if-modified-since"]);
  if (since !== undefined && v.lastModifiedMs !== undefined && v.lastModifiedMs <= since) return "not-modified";
  return "proceed";
}

function ifRangeHolds(value: string, v: Validators): boolean {
  if (value.trim().startsWith('"') || value.trim().startsWith("W/")) return strongMatch(value, v.etag);
  const date = httpDate(value);
  return date !== undefined && v.lastModifiedMs !== undefined && v.lastModifiedMs === date;
}

/**
 * The range to send for a GET: undefined for the whole file (no Range
 * header, one that does not parse, several ranges, or an If-Range that does
 * not hold), `"unsatisfiable"` for a 416, else the single range.
 */
export function selectRange(req: IncomingMessage, size: number, v: Validators): ByteRange | "unsatisfiable" | undefined {
  const header = req.headers.range;
  if (header === undefined || req.method !== "GET") return undefined;
  const ifRange = req.headers["if-range"];
  if (ifRange !== undefined && (typeof ifRange !== "string" || !ifRangeHolds(ifRange, v))) return undefined;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return undefined; // several ranges or not bytes: send the whole file
  const [, first = "", last = ""] = m;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (start >= size) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}
