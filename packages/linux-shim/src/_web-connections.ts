/**
 * Internal: how many connections the built-in server keeps, and which go.
 *
 * The cap is the smaller of `maxConnections` and what the process's
 * descriptor limit leaves after the descriptors already open and the reserve
 * kept for the rest of the program (the Linux guest writing its status
 * files), halved: a connection holds its socket and, while a file is sent,
 * that file. At the cap, a new connection takes the place of the connection
 * that has been idle longest (no request in progress: a silent new
 * connection, a slow head, a keep-alive pause) when that one has been idle
 * for at least `evictAfterMs`; otherwise the new one is closed at once,
 * before any byte is read from it.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Socket } from "node:net";

/** Tracks the open connections of one server. */
export interface ConnectionGuard {
  /** A new connection: kept, or closed at once when there is no room. */
  admit(socket: Socket): void;
  /** A request started on `socket`. */
  busy(socket: Socket): void;
  /** The request on `socket` is over. */
  idle(socket: Socket): void;
}

/** The soft limit on open descriptors and how many are open now; undefined where the system does not say (no /proc). */
export function descriptorUsage(): { limit: number; open: number } | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const soft = Number(line?.slice("Max open files".length).trim().split(/\s+/)[0]);
    if (!Number.isSafeInteger(soft)) return undefined; // "unlimited"
    return { limit: soft, open: readdirSync("/proc/self/fd").length };
  } catch {
    return undefined;
  }
}

/** The connection cap: `maxConnections`, lowered to what the descriptor budget allows (two per connection; never below 1). */
export function connectionCap(maxConnections: number, reserve: number, usage = descriptorUsage()): number {
  if (usage === undefined) return maxConnections;
  return Math.max(1, Math.min(maxConnections, Math.floor((usage.limit - usage.open - reserve) / 2)));
}

/** A guard for `cap` connections; `onEvent` hears about the first refusal or eviction of each burst. */
export function createConnectionGuard(cap: number, evictAfterMs: number, onEvent: (line: string) => void, now = Date.now): ConnectionGuard {
  const open = new Set<Socket>();
  const idleSince = new Map<Socket, number>(); // insertion order = longest idle first
  let refused = 0;
  let evicted = 0;
  let lastReport = 0;
  const report = (what: string) => {
    const t = now();
    if (t - lastReport < 10_000) return;
    lastReport = t;
    onEvent(`[linux-shim] web: ${cap} connections open (the cap); ${what} (refused so far ${refused}, idle ones closed ${evicted})`);
  };
  // One close listener for every connection, so a connection costs no closure here.
  function forget(this: Socket): void {
    open.delete(this);
    idleSince.delete(this);
  }
  const makeRoom = (): boolean => {
    const oldest = idleSince.entries().next();
    if (oldest.done === true || now() - oldest.value[1] < evictAfterMs) return false;
    const [socket] = oldest.value;
    idleSince.delete(socket);
    open.delete(socket);
    socket.destroy();
    evicted++;
    report("closing the connection idle longest for a new one");
    return true;
  };
  return {
    admit(socket) {
      if (open.size >= cap && !makeRoom()) {
        refused++;
        socket.destroy();
        report("refusing new connections");
        return;
      }
      open.add(socket);
      idleSince.set(socket, now());
      socket.on("close", forget);
    },
    busy(socket) {
      idleSince.delete(socket);
    },
    idle(socket) {
      if (open.has(socket) && !socket.destroyed) {
        idleSince.delete(socket);
        idleSince.set(socket, now());
      }
    },
  };
}
