/**
 * Internal: the Server-Sent Events clients of the dashboard, with the
 * periodic, change-triggered and heartbeat sends. Timers run only while a
 * client is connected. Bounded: at most `maxClients` streams (503 beyond),
 * and a client that does not read is dropped once `maxBufferedBytes` wait
 * for it, so it cannot make the server hold its events forever.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Timing of an {@link SseHub}. */
export interface SseHubOptions {
  /** Makes the data of the next `snapshot` event. */
  readonly data: () => string;
  /** Periodic event interval, ms. */
  readonly intervalMs: number;
  /** Heartbeat comment interval, ms. */
  readonly heartbeatMs: number;
  /** Shortest gap between change-triggered events, ms. */
  readonly minGapMs: number;
  /** Most streams at once; default 64. */
  readonly maxClients?: number;
  /** Bytes that may wait for one client before it is dropped; default 256 KiB. */
  readonly maxBufferedBytes?: number;
}

/** The connected event streams. */
export interface SseHub {
  /** Answer `req` with an event stream and keep it until the client leaves. */
  open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void;
  /** Send an event to everyone now. */
  sendAll(): void;
  /** Send an event to everyone soon (throttled). */
  notifyChange(): void;
  /** Number of connected clients. */
  readonly size: number;
  /** End every stream and stop the timers. */
  close(): void;
}

/** Build the hub. */
export function createSseHub(options: SseHubOptions): SseHub {
  const clients = new Set<ServerResponse>();
  let eventId = 0;
  let tick: ReturnType<typeof setInterval> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let pendingChange: ReturnType<typeof setTimeout> | undefined;

  const event = (): string => {
    eventId += 1;
    return `id: ${eventId}\nevent: snapshot\ndata: ${options.data()}\n\n`;
  };
  const stopTimers = (): void => {
    clearInterval(tick);
    clearInterval(heartbeat);
    clearTimeout(pendingChange);
    tick = heartbeat = pendingChange = undefined;
  };
  const maxClients = options.maxClients ?? 64;
  const maxBuffered = options.maxBufferedBytes ?? 256 * 1024;
  const broadcast = (text: string): void => {
    for (const res of clients) {
      if (res.writableLength > maxBuffered) {
        clients.delete(res);
        res.destroy(); // it stopped reading
      } else res.write(text);
    }
    if (clients.size === 0) stopTimers();
  };
  const sendAll = (): void => {
    if (clients.size > 0) broadcast(event());
  };

  return {
    open(req, res, headers) {
      if (clients.size >= maxClients) {
        res.writeHead(503, { ...headers, "content-type": "text/plain; charset=utf-8", "retry-after": "5" });
        res.end(`too many event streams open (${maxClients}); try again later\n`);
        return;
      }
      res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive", "x-accel-buffering": "no" });
      res.write("retry: 2000\n\n");
      clients.add(res);
      tick ??= setInterval(sendAll, options.intervalMs);
      heartbeat ??= setInterval(() => broadcast(": heartbeat\n\n"), options.heartbeatMs);
      res.write(event());
      const drop = (): void => {
        clients.delete(res);
        if (clients.size === 0) stopTimers();
      };
      req.on("close", drop);
      res.on("close", drop);
    },
    sendAll,
    notifyChange() {
      if (clients.size === 0 || pendingChange !== undefined) return;
      pendingChange = setTimeout(() => {
        pendingChange = undefined;
        sendAll();
      }, options.minGapMs);
    },
    get size() {
      return clients.size;
    },
    close() {
      stopTimers();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
