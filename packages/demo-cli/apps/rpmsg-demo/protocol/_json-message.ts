/** Internal: read one message of the protocol as a JSON object, never throwing on bad input. */
import { decodePayloadText } from "@v8r/openamp-wasm";
import { MAX_PAYLOAD_BYTES } from "./limits.ts";

/** Why a message could not be read as a JSON object. */
export type JsonMessageProblem = "too-long" | "not-utf8" | "not-json" | "not-object";

/** A message read as an object, or why not (with the message text when it was UTF-8). */
export type JsonMessage =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly problem: JsonMessageProblem; readonly text?: string };

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `obj` has its own property `key`. */
export function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Decode `bytes` (at most `limit`, default {@link MAX_PAYLOAD_BYTES}) as UTF-8 JSON holding an object. */
export function readJsonMessage(bytes: Uint8Array, limit: number = MAX_PAYLOAD_BYTES): JsonMessage {
  if (bytes.byteLength > limit) return { ok: false, problem: "too-long" };
  let text: string;
  try {
    text = decodePayloadText(bytes);
  } catch {
    return { ok: false, problem: "not-utf8" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not-json", text };
  }
  return isJsonObject(value) ? { ok: true, value } : { ok: false, problem: "not-object", text };
}
