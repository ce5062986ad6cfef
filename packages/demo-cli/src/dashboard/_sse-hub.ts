/**
 * Internal: the Server-Sent Events clients of the dashboard, with the
 * periodic, change-triggered and heartbeat sends. Timers run only while a
 * client is connected.
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
  const broadcast = (text: string): void => {
    for (const res of clients) res.write(text);
  };
  const sendAll = (): void => {
    if (clients.size > 0) broadcast(event());
  };
  const stopTimers = (): void => {
    clearInterval(tick);
    clearInterval(heartbeat);
    clearTimeout(pendingChange);
    tick = heartbeat = pendingChange = undefined;
  };

  return {
    open(req, res, headers) {
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
