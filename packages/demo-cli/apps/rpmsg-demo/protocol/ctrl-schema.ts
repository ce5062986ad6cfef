/**
 * The `rpmsg-ctrl` commands of the rpmsg-demo protocol as data: each
 * command's name, arguments (with their limits) and reply fields. The
 * codec in `ctrl-codec.ts` walks this table and the command and reply types
 * are derived from it; like the status schema it is plain JSON for
 * generators of other languages.
 *
 * @module
 */
import { CTRL_ENDPOINT, MAX_PAYLOAD_BYTES, PERIOD_RANGE_MS } from "./limits.ts";

/** An integer argument or reply field. */
export interface CtrlIntSpec {
  /** Its JSON key. */
  readonly key: string;
  /** Always `"uint"`: a non-negative integer. */
  readonly kind: "uint";
  /** Smallest value the server accepts. */
  readonly min?: number;
  /** Largest value the server accepts. */
  readonly max?: number;
  /** One line: what it means. */
  readonly doc: string;
}

/** One command. */
export interface CtrlCommandSpec {
  /** The `cmd` value. */
  readonly cmd: string;
  /** What Zephyr does. */
  readonly doc: string;
  /** Its arguments besides `id` and `cmd`. */
  readonly args: readonly CtrlIntSpec[];
  /** The fields of its `ok: true` reply besides `id` and `ok`. */
  readonly reply: readonly CtrlIntSpec[];
  /** The link's own command (liveness, acknowledgements): sent by rpmsg-remote itself, not offered to users. */
  readonly link?: boolean;
}

/** The shape of {@link CTRL_SCHEMA}. */
export interface CtrlSchema {
  /** Endpoint of the commands and replies. */
  readonly endpoint: string;
  /** Budget of one command or reply, bytes. */
  readonly maxBytes: number;
  /** The commands. */
  readonly commands: readonly CtrlCommandSpec[];
}

/**
 * The commands Linux sends on `rpmsg-ctrl` and Zephyr answers, each with
 * one reply carrying the same `id`: `{"id":n,"ok":true,...reply}` or
 * `{"id":n,"ok":false,"err":"<reason>"}` (`id` null when it could not be
 * read).
 */
export const CTRL_SCHEMA = {
  endpoint: CTRL_ENDPOINT,
  maxBytes: MAX_PAYLOAD_BYTES,
  commands: [
    { cmd: "ping", doc: "no effect", args: [], reply: [{ key: "t", kind: "uint", doc: "Zephyr uptime, ms" }] },
    {
      cmd: "period",
      doc: "set the sampling period",
      args: [{ key: "ms", kind: "uint", min: PERIOD_RANGE_MS.min, max: PERIOD_RANGE_MS.max, doc: "the new period, ms" }],
      reply: [{ key: "per", kind: "uint", doc: "the period now in force, ms" }],
    },
    { cmd: "sample", doc: "take and send one sample now", args: [], reply: [{ key: "seq", kind: "uint", doc: "seq of that sample" }] },
    {
      cmd: "ack",
      doc: "acknowledge samples and show the remote is alive (the liveness heartbeat); see PROTOCOL.md",
      args: [
        { key: "boot", kind: "uint", max: 0xffff_ffff, doc: "boot id of the samples acknowledged, as a number (0 before the first sample)" },
        { key: "next", kind: "uint", doc: "seq of the first sample of that boot not received yet: all before it were received or counted lost" },
        { key: "miss", kind: "uint", doc: "acks in a row, just before this one, that got no reply in time" },
      ],
      reply: [{ key: "t", kind: "uint", doc: "Zephyr uptime, ms" }],
      link: true,
    },
  ],
} as const satisfies CtrlSchema;

type Commands = (typeof CTRL_SCHEMA.commands)[number];

/** A command name: `"ping" | "period" | "sample" | "ack"`. */
export type CtrlCommandName = Commands["cmd"];

type SpecOf<N extends CtrlCommandName> = Extract<Commands, { readonly cmd: N }>;

/** A command without its `id`, e.g. `{ cmd: "period", ms: 500 }`. */
export type CtrlCommand<N extends CtrlCommandName = CtrlCommandName> = N extends CtrlCommandName
  ? { readonly cmd: N } & { readonly [A in SpecOf<N>["args"][number] as A["key"]]: number }
  : never;

/** The fields of the `ok: true` reply to command `N`, e.g. `{ per: 500 }`. */
export type CtrlResult<N extends CtrlCommandName> = { readonly [R in SpecOf<N>["reply"][number] as R["key"]]: number };

/** A refused or unreadable command's reply. */
export interface CtrlFailure {
  /** The command's id, null when it could not be read. */
  readonly id: number | null;
  /** Always false. */
  readonly ok: false;
  /** Why, in a few words. */
  readonly err: string;
}

/** The reply to a command `N` that was done. */
export type CtrlSuccess<N extends CtrlCommandName = CtrlCommandName> = N extends CtrlCommandName
  ? { readonly id: number; readonly ok: true } & CtrlResult<N>
  : never;

/** Any reply to command `N`. */
export type CtrlReply<N extends CtrlCommandName = CtrlCommandName> = CtrlSuccess<N> | CtrlFailure;

/** The schema row of command `cmd`, or undefined for a name the protocol does not have. */
export function ctrlCommandSpec(cmd: unknown): CtrlCommandSpec | undefined {
  const all: readonly CtrlCommandSpec[] = CTRL_SCHEMA.commands;
  return all.find((c) => c.cmd === cmd);
}
