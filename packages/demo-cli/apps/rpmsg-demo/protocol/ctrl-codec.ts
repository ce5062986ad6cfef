/**
 * The one codec of the `rpmsg-ctrl` commands and replies, driven by
 * {@link CTRL_SCHEMA}: Linux encodes commands and reads replies, Zephyr
 * reads commands ({@link serveCommand}) and encodes replies.
 *
 * @module
 */
import { hasKey, readJsonMessage } from "./_json-message.ts";
import {
  CTRL_SCHEMA,
  ctrlCommandSpec,
  type CtrlCommand,
  type CtrlCommandName,
  type CtrlFailure,
  type CtrlIntSpec,
  type CtrlReply,
  type CtrlResult,
} from "./ctrl-schema.ts";

const encoder = new TextEncoder();
const NAMES = CTRL_SCHEMA.commands.map((c) => c.cmd);

function listNames(): string {
  return `${NAMES.slice(0, -1).join(", ")} or ${NAMES[NAMES.length - 1]}`;
}

/**
 * Encode command `command` with `id` as `{"id":n,"cmd":...,args}`. Throws a
 * TypeError for a command the protocol does not have or an argument that is
 * not an integer (the range is Zephyr's to check: it answers with an error).
 *
 * @example
 * ```ts
 * new TextDecoder().decode(encodeCommand(3, { cmd: "period", ms: 500 })); // '{"id":3,"cmd":"period","ms":500}'
 * ```
 */
export function encodeCommand(id: number, command: CtrlCommand): Uint8Array {
  const cmd = (command as { cmd?: unknown } | undefined)?.cmd;
  const spec = ctrlCommandSpec(cmd);
  if (spec === undefined) throw new TypeError(`[rpmsg-demo] rpmsg-ctrl: unknown command ${JSON.stringify(cmd)} (expected ${listNames()})`);
  const out: Record<string, unknown> = { id, cmd: spec.cmd };
  for (const a of spec.args) {
    const v = (command as Record<string, unknown>)[a.key];
    if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`[rpmsg-demo] rpmsg-ctrl ${spec.cmd}: ${a.key} must be an integer, got ${String(v)}`);
    out[a.key] = v;
  }
  return encoder.encode(JSON.stringify(out));
}

/** A command as Zephyr read it: the command, or the failure reply to send back. */
export type ParsedCommand = { readonly ok: true; readonly id: number; readonly command: CtrlCommand } | { readonly ok: false; readonly reply: CtrlFailure };

function fail(id: number | null, err: string): { ok: false; reply: CtrlFailure } {
  return { ok: false, reply: { id, ok: false, err } };
}

function argProblem(a: CtrlIntSpec, v: unknown): string | undefined {
  const min = a.min ?? 0;
  const ok = typeof v === "number" && Number.isSafeInteger(v) && v >= min && (a.max === undefined || v <= a.max);
  if (ok) return undefined;
  return a.max === undefined ? `${a.key} must be an integer >= ${min}` : `${a.key} must be an integer in ${min}..${a.max}`;
}

/** Read one command message. Never throws on bad input. */
export function parseCommand(bytes: Uint8Array): ParsedCommand {
  const read = readJsonMessage(bytes);
  if (!read.ok) {
    if (read.problem === "too-long") return fail(null, `command of ${bytes.byteLength} bytes is over ${CTRL_SCHEMA.maxBytes}`);
    return fail(null, read.problem === "not-object" ? "command is not a JSON object" : "not valid UTF-8 JSON");
  }
  const message = read.value;
  const id = message["id"];
  if (typeof id !== "number" || !Number.isFinite(id)) return fail(null, "missing or non-numeric id");
  const cmd = message["cmd"];
  const spec = ctrlCommandSpec(cmd);
  if (spec === undefined) return fail(id, typeof cmd === "string" ? `unknown command ${JSON.stringify(cmd).slice(0, 40)}` : "missing cmd");
  const command: Record<string, unknown> = { cmd: spec.cmd };
  for (const a of spec.args) {
    const problem = argProblem(a, message[a.key]);
    if (problem !== undefined) return fail(id, problem);
    command[a.key] = message[a.key];
  }
  return { ok: true, id, command: command as CtrlCommand };
}

/** What the server does for each command: returns the reply fields. */
export type CtrlHandlers = { readonly [N in CtrlCommandName]: (command: CtrlCommand<N>) => CtrlResult<N> };

/**
 * Run one command message against `handlers` and return the reply (an
 * error reply for anything malformed). Never throws on bad input.
 */
export function serveCommand(bytes: Uint8Array, handlers: CtrlHandlers): CtrlReply {
  const parsed = parseCommand(bytes);
  if (!parsed.ok) return parsed.reply;
  const handle = handlers[parsed.command.cmd] as (c: CtrlCommand) => Record<string, number>;
  return { id: parsed.id, ok: true, ...handle(parsed.command) } as CtrlReply;
}

/** Encode a reply as UTF-8 JSON (error texts are short: a reply stays within the budget). */
export function encodeReply(reply: CtrlReply): Uint8Array {
  const bytes = encoder.encode(JSON.stringify(reply));
  if (bytes.byteLength > CTRL_SCHEMA.maxBytes) throw new RangeError(`[rpmsg-demo] a reply of ${bytes.byteLength} bytes is over ${CTRL_SCHEMA.maxBytes}`);
  return bytes;
}

/** Read one reply message: undefined when it is not a reply (`ok` boolean, `id` number or null). Never throws on bad input. */
export function parseReply(bytes: Uint8Array): CtrlReply | undefined {
  if (bytes.byteLength === 0) return undefined;
  const read = readJsonMessage(bytes);
  if (!read.ok) return undefined;
  const r = read.value;
  if (typeof r["ok"] !== "boolean" || !(r["id"] === null || typeof r["id"] === "number")) return undefined;
  if (r["ok"] === false) return { id: r["id"] as number | null, ok: false, err: typeof r["err"] === "string" ? r["err"] : "no reason given" };
  return r as unknown as CtrlReply;
}

/** What is wrong with `reply` as an `ok: true` answer to command `cmd` (a reply field missing or not an integer), or undefined. */
export function replyProblem(cmd: CtrlCommandName, reply: CtrlReply): string | undefined {
  if (!reply.ok) return undefined;
  const spec = ctrlCommandSpec(cmd);
  const fields = reply as unknown as Record<string, unknown>;
  for (const f of spec?.reply ?? []) {
    if (!hasKey(fields, f.key) || typeof fields[f.key] !== "number" || !Number.isSafeInteger(fields[f.key])) return `the reply lacks an integer ${f.key}`;
  }
  return undefined;
}
