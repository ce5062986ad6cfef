/**
 * Internal: what the built-in server checks in a request before anything
 * looks at it: the HTTP version, the size of the head, the request target.
 * Every refusal here is the client's mistake, so a 4xx (or 505), never a 5xx.
 */
import type { IncomingMessage } from "node:http";
import type { ResolvedWebServerLimits } from "./web-server-options.ts";

/** A refusal: status, reason phrase. */
export interface Refusal {
  readonly status: 400 | 413 | 414 | 431 | 505;
  readonly text: string;
}

/** A request target that parsed: its decoded path segments and its canonical origin form. */
export interface Target {
  /** Decoded, non-empty path segments (never `.`, `..`, or containing `/`, `\`, NUL or control characters). */
  readonly segments: readonly string[];
  /** Whether the path ended with `/`. */
  readonly directory: boolean;
  /** `/seg/seg[/][?query]`, segments still percent-encoded as sent. */
  readonly canonical: string;
}

const BAD_REQUEST: Refusal = { status: 400, text: "Bad Request" };
// Visible ASCII only: no spaces, controls, backslashes or raw non-ASCII bytes.
const TARGET_CHARS = /^[\x21-\x5b\x5d-\x7e]*$/;
const DECODED_FORBIDDEN = /[\x00-\x1f\x7f/\\]/;
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;
// Host = uri-host [ ":" port ] (RFC 9110 7.2): an IP literal or a reg-name / IPv4 address (may be empty), then digits.
const HOST_VALUE = /^(?:\[[0-9a-f:.]+\]|[a-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/i;

/** The size of the request head as sent (request line, header lines, final CRLF), counted from what Node parsed. */
export function headBytes(req: IncomingMessage, rawUrl: string): number {
  // "METHOD target HTTP/1.1\r\n" ... "\r\n"
  let size = (req.method ?? "").length + rawUrl.length + 2 + "HTTP/".length + req.httpVersion.length + 4;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) size += (raw[i] as string).length + (raw[i + 1] as string).length + 4; // "name: value\r\n"
  return size;
}

/**
 * RFC 9112 3.2: a 400 for more than one Host field line, a Host value that
 * is no `host[:port]`, or an HTTP/1.1 request without Host.
 */
function hostRefusal(req: IncomingMessage): Refusal | undefined {
  const raw = req.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 4 || name.toLowerCase() !== "host") continue;
    if (value !== undefined) return BAD_REQUEST;
    value = raw[i + 1] as string;
  }
  if (value === undefined) return req.httpVersionMinor >= 1 ? BAD_REQUEST : undefined;
  return HOST_VALUE.test(value) ? undefined : BAD_REQUEST;
}

/** HTTP/1.0 and 1.1 only; a head over the limit is 431, a target over the limit 414; Host as RFC 9112 3.2 requires. */
export function checkRequestHead(req: IncomingMessage, rawUrl: string, limits: ResolvedWebServerLimits): Refusal | undefined {
  if (req.httpVersionMajor !== 1) {
    // Node reads a request line without a version as HTTP/0.9: a malformed request here.
    return req.httpVersionMajor === 0 ? BAD_REQUEST : { status: 505, text: "HTTP Version Not Supported" };
  }
  if (headBytes(req, rawUrl) > limits.maxHeaderBytes) return { status: 431, text: "Request Header Fields Too Large" };
  if (Buffer.byteLength(rawUrl) > limits.maxUrlBytes) return { status: 414, text: "URI Too Long" };
  return hostRefusal(req);
}

function pathAndQuery(raw: string): { path: string; query: string } | undefined {
  if (raw.startsWith("/")) {
    const q = raw.indexOf("?");
    return q < 0 ? { path: raw, query: "" } : { path: raw.slice(0, q), query: raw.slice(q) };
  }
  if (!ABSOLUTE_FORM.test(raw)) return undefined; // "*", authority form, garbage
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return { path: url.pathname, query: url.search };
  } catch {
    return undefined;
  }
}

/**
 * Parse a request target (origin form, or absolute form as RFC 9112
 * requires servers to accept). Empty segments collapse (`//a` is `/a`); a
 * `.` or `..` segment, a segment that does not decode, or one that decodes
 * to a slash, backslash, NUL or control character makes the target
 * unparseable: the result is a 400, never a path.
 */
export function parseTarget(raw: string): Target | Refusal {
  const parts = pathAndQuery(raw);
  if (parts === undefined || !TARGET_CHARS.test(parts.path) || !TARGET_CHARS.test(parts.query)) return BAD_REQUEST;
  const raws = parts.path.split("/");
  const segments: string[] = [];
  for (const segment of raws) {
    if (segment === "") continue;
    let decoded = segment;
    if (segment.includes("%")) {
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return BAD_REQUEST;
      }
    }
    if (decoded === "." || decoded === ".." || DECODED_FORBIDDEN.test(decoded)) return BAD_REQUEST;
    segments.push(decoded);
  }
  const directory = parts.path.endsWith("/");
  // Only an absolute form or empty segments ("//") make the canonical form differ from what was sent.
  if (raw.startsWith("/") && !parts.path.includes("//")) return { segments, directory, canonical: raw };
  const encoded = raws.filter((segment) => segment !== "");
  const path = `/${encoded.join("/")}${directory && encoded.length > 0 ? "/" : ""}`;
  return { segments, directory, canonical: path + parts.query };
}

/** Whether `value` is a refusal rather than a parsed target. */
export function isRefusal(value: Target | Refusal): value is Refusal {
  return "status" in value;
}

/** A request that announces a body larger than allowed (or a streamed one, whose size is unknown up front). */
export function bodyTooLarge(req: IncomingMessage, limits: ResolvedWebServerLimits): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const length = Number(req.headers["content-length"] ?? 0);
  return !Number.isFinite(length) || length > limits.maxBodyBytes;
}
