// The link state rpmsg-remote shows on the status page, from what the
// service knows of the link: whether the rings are up, which endpoints are
// bound, how long the endpoints have waited for the host to bind, and
// whether the host answers the liveness acks.
import { LIVENESS } from "../protocol/mod.ts";

/** Link states shown on the status page. */
export const LinkState = {
  /** The host has not set DRIVER_OK yet. */
  WAITING: "waiting for host",
  /** Link up, endpoints announced, `rpmsg-demo` not bound yet. */
  ANNOUNCED: "announced",
  /** `rpmsg-demo` completed the bound handshake. */
  BOUND: "bound",
  /** The host re-initialised the link or went away; waiting to re-attach. */
  DOWN: "down (re-attaching)",
  /** Bound, but the host has not answered the last acks (it will re-initialise the link, or it is hung); or announced and not bound within `LIVENESS.bindWithinMs` (the host is gone or hung). */
  UNRESPONSIVE: "host not answering",
} as const;

/** One of the {@link LinkState} values. */
export type LinkStateName = (typeof LinkState)[keyof typeof LinkState];

/** What the service knows of its link at one instant. */
export interface LinkFacts {
  /** Whether there is a device and its rings are up. */
  readonly up: boolean;
  /** Whether `rpmsg-demo` completed the bound handshake. */
  readonly demoBound: boolean;
  /** Whether the link was ever up before (a reset seen or bound once): down then means re-attaching, not waiting. */
  readonly wasUp: boolean;
  /** How long the endpoints have been announced and not bound, ms (0 when they are not waiting). */
  readonly unboundForMs: number;
  /** Acks in a row the host did not answer. */
  readonly missedAcks: number;
}

/** The state {@link LinkFacts} show. */
export function linkStateOf(f: LinkFacts): LinkStateName {
  if (!f.up) return f.wasUp ? LinkState.DOWN : LinkState.WAITING;
  if (!f.demoBound) return f.unboundForMs >= LIVENESS.bindWithinMs ? LinkState.UNRESPONSIVE : LinkState.ANNOUNCED;
  return f.missedAcks >= 2 ? LinkState.UNRESPONSIVE : LinkState.BOUND;
}
