/**
 * rpmsg-ctrl commands: parse a command message and build its reply
 * (protocol: ping, period, sample; anything else gets an error reply).
 *
 * @module
 */
import { decodePayloadText } from "@v8r/openamp-wasm";
import { MAX_MESSAGE_BYTES } from "./status.ts";

/** Smallest and largest sampling period a `period` command may set, ms. */
export const PERIOD_MIN_MS = 100;
/** Largest sampling period, ms. */
export const PERIOD_MAX_MS = 60000;

/** What the application does for a command. */
export interface CommandTarget {
  /** Uptime in ms. */
  uptime(): number;
  /** Set the sampling period (already validated). */
  setPeriod(ms: number): void;
  /** Take and queue one sample now; returns its seq. */
  sampleNow(): number;
}

/** A reply object, serialised as JSON. */
export type CommandReply =
  | { readonly id: number | null; readonly ok: true; readonly [key: string]: unknown }
  | { readonly id: number | null; readonly ok: false; readonly err: string };

const encoder = new TextEncoder();

function fail(id: number | null, err: string): CommandReply {
  return { id, ok: false, err };
}

function readId(message: Record<string, unknown>): number | null {
  const id = message["id"];
  return typeof id === "number" && Number.isFinite(id) ? id : null;
}

function parse(data: Uint8Array): Record<string, unknown> | string {
  if (data.length > MAX_MESSAGE_BYTES) return `command of ${data.length} bytes is over ${MAX_MESSAGE_BYTES}`;
  let value: unknown;
  try {
    value = JSON.parse(decodePayloadText(data));
  } catch {
    return "not valid UTF-8 JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "command is not a JSON object";
  return value as Record<string, unknown>;
}

/** Run one command message against `target` and return the reply. Never throws on bad input. */
export function handleCommand(data: Uint8Array, target: CommandTarget): CommandReply {
  const message = parse(data);
  if (typeof message === "string") return fail(null, message);
  const id = readId(message);
  if (id === null) return fail(null, "missing or non-numeric id");
  const cmd = message["cmd"];
  switch (cmd) {
    case "ping":
      return { id, ok: true, t: target.uptime() };
    case "period": {
      const ms = message["ms"];
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < PERIOD_MIN_MS || ms > PERIOD_MAX_MS) {
        return fail(id, `ms must be an integer in ${PERIOD_MIN_MS}..${PERIOD_MAX_MS}`);
      }
      target.setPeriod(ms);
      return { id, ok: true, per: ms };
    }
    case "sample":
      return { id, ok: true, seq: target.sampleNow() };
    default:
      return fail(id, typeof cmd === "string" ? `unknown command ${JSON.stringify(cmd).slice(0, 40)}` : "missing cmd");
  }
}

/** Encode a reply as UTF-8 JSON (at most 496 bytes: error texts are short). */
export function encodeReply(reply: CommandReply): Uint8Array {
  return encoder.encode(JSON.stringify(reply));
}
