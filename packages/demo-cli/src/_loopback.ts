// Who may change things over HTTP: only this machine. The dashboard's
// period control and the xl control endpoint check each request with these,
// whatever address the server listens on (`--host`).
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Whether `address` (a socket's remote address) is a loopback address: 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return address === "::1" || address === "0:0:0:0:0:0:0:1";
}

/** The host name of a Host header (`name`, `name:port`, `[v6]:port`), lower case. */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return (bracketed[1] ?? "").toLowerCase();
  return header.replace(/:\d+$/, "").toLowerCase();
}

/** Whether a Host header names this machine by a loopback address or `localhost` (a name a DNS-rebinding page cannot use). */
export function isLoopbackHost(header: string | undefined): boolean {
  if (header === undefined) return false;
  const name = hostName(header);
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackAddress(name);
}

/**
 * Why a request that changes something must be refused, or undefined when
 * it comes from this machine: the peer is a loopback address, the Host
 * header names this machine (no DNS rebinding) and an Origin, when sent, is
 * that same host (no other page's script).
 */
export function localChangeRefusal(req: IncomingMessage): string | undefined {
  const peer = req.socket.remoteAddress;
  if (!isLoopbackAddress(peer)) return `changes are only accepted from this machine, not from ${peer ?? "an unknown address"}`;
  const host = req.headers.host;
  if (!isLoopbackHost(host)) return `changes are only accepted for a loopback host name, not ${JSON.stringify(host ?? "")}`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `changes are not accepted from the origin ${JSON.stringify(origin)}`;
    }
    if (originHost.toLowerCase() !== (host ?? "").toLowerCase()) return `changes are not accepted from another origin (${origin})`;
  }
  return undefined;
}
