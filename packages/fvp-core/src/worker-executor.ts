import { PREFIX } from "./_format.ts";
import { HostGuestHandle } from "./_guest-handle.ts";
import type { FromWorker, ToWorker } from "./_worker-protocol.ts";
import type { Cpu } from "./cpu.ts";
import type { Executor, GuestHandle, GuestHost, GuestSpec } from "./executor.ts";
import { describeError, GuestError, GuestErrorCode, type GuestErrorCodeName } from "./guest-error.ts";
import { resolveSpec } from "./_guest-spec.ts";
import { absoluteNow } from "./real-clock.ts";
import type { FvpTraceEvent } from "./trace-bus.ts";
import type { Uart } from "./uart.ts";

/** An event delivered by a {@link WorkerLike}: `data` for messages, `error`/`message` for errors. */
export interface WorkerEventLike {
  /** Message payload. */
  data?: unknown;
  /** The error of an `error` event, when known. */
  error?: unknown;
  /** Error text of an `error` event. */
  message?: string;
}

/** The part of the Web Worker API the executor uses. */
export interface WorkerLike {
  /** Send a message (SharedArrayBuffers are shared, not copied). */
  postMessage(msg: unknown): void;
  /** Kill the worker. */
  terminate(): void | Promise<unknown>;
  /** Listen to `message` and `error` events. */
  addEventListener(type: "message" | "error", listener: (ev: WorkerEventLike) => void): void;
}

/** Options the executor passes to a {@link WorkerFactory}. */
export interface WorkerFactoryOptions {
  /** Worker name (the guest's). */
  name: string;
  /** Always `"module"`. */
  type: "module";
  /** The modules the worker will import (image, runtime): lets a Node factory decide whether it needs a TypeScript loader. */
  modules: readonly string[];
}

/** Makes a Worker running the module at `url`; the default is `new globalThis.Worker(url, { type: "module", name })`. */
export type WorkerFactory = (url: URL, opts: WorkerFactoryOptions) => WorkerLike;

/** Options of {@link WorkerExecutor}. */
export interface WorkerExecutorOptions {
  /** How to make a Worker (Node: `nodeWorkerFactory` from `@v8r/fvp-core/node`). */
  workerFactory?: WorkerFactory;
  /** How long `stop()` waits for the guest's stop hook before terminating its Worker, ms (default 2000); when it runs out, a `guest-stop-timeout` trace event says so. */
  stopTimeoutMs?: number;
}

/**
 * Runs each guest in its own Worker (Web Workers in browsers and Deno,
 * `worker_threads` in Node through a factory). The guest rebuilds windows,
 * CPU counters and the interrupt controller from descriptors, so memory,
 * interrupts and load accounting are shared with the main thread. Guests
 * need a real-time clock.
 *
 * @example
 * ```ts
 * import { nodeWorkerFactory } from "@v8r/fvp-core/node";
 * const executor = new WorkerExecutor({ workerFactory: nodeWorkerFactory });
 * ```
 */
export class WorkerExecutor implements Executor {
  /** Always `"worker"`. */
  readonly kind = "worker" as const;
  readonly #factory: WorkerFactory;
  readonly #stopTimeoutMs: number;

  /** Create an executor; without a factory, `globalThis.Worker` must exist. */
  constructor(opts: WorkerExecutorOptions = {}) {
    this.#factory = opts.workerFactory ?? defaultFactory;
    this.#stopTimeoutMs = opts.stopTimeoutMs ?? 2000;
  }

  /** Start a guest in a new Worker; rejects with GuestError when it cannot be loaded. */
  async start(spec: GuestSpec, platform: GuestHost): Promise<GuestHandle> {
    if (platform.clock.kind !== "real") {
      throw new GuestError(GuestErrorCode.UNSUPPORTED, spec.name, `${PREFIX} starting guest "${spec.name}" in a Worker: guests on a VirtualClock run inline only`);
    }
    const { cpus, image, runtime, uart, handle } = resolveSpec(spec, platform);
    const modules = runtime ? [image, runtime] : [image];
    const worker = this.#factory(entryUrl(), { name: spec.name, type: "module", modules });
    const send = (m: ToWorker): void => worker.postMessage(m);
    const { ready, stopped } = listen(worker, spec.name, handle, uart, platform);
    const offInput = uart.onInput((bytes) => send({ t: "input", bytes }));
    handle.send = (msg) => send({ t: "control", msg });
    handle.teardown = async (reason) => {
      offInput();
      if (reason !== "crashed") {
        send({ t: "stop", reason });
        const ms = this.#stopTimeoutMs;
        const timedOut: FvpTraceEvent = { type: "guest-stop-timeout", guest: spec.name, ms };
        if (!(await within(stopped, ms)) && platform.trace.active) platform.trace.emit(timedOut);
      }
      await worker.terminate();
    };
    const clock = platform.clock;
    const start: ToWorker = {
      t: "start",
      name: spec.name,
      image,
      runtime,
      init: spec.init,
      origin: absoluteNow() - clock.now(),
      clockKind: clock.kind,
      gic: platform.gic.describe(),
      cpus: cpus.map((c) => c.describe()),
      traceFlag: platform.trace.listenerFlag,
    };
    try {
      try {
        send(start);
      } catch (e) {
        throw new TypeError(`${PREFIX} starting guest "${spec.name}": its init cannot be sent to a Worker (${describeError(e).error})`, { cause: e });
      }
      await ready;
    } catch (e) {
      offInput();
      await worker.terminate();
      throw e;
    }
    return handle;
  }
}

/** Route the worker's messages to the handle, UART and trace bus; `ready` settles when the guest started or failed to load. */
function listen(worker: WorkerLike, name: string, handle: HostGuestHandle, uart: Uart, platform: GuestHost) {
  const { promise: ready, resolve, reject } = deferred<void>();
  const { promise: stopped, resolve: onStopped } = deferred<void>();
  worker.addEventListener("message", (ev) => {
    const m = ev.data as FromWorker;
    switch (m.t) {
      case "starting": return handle.started();
      case "ready": return resolve();
      case "load-failed": return reject(new GuestError(m.code as GuestErrorCodeName, name, m.error));
      case "console": return uart.write(m.data);
      case "control": return handle.deliver(m.msg);
      case "trace": return platform.trace.emit(m.event);
      case "crashed":
        handle.crashed(m.stack === undefined ? { error: m.error } : { error: m.error, stack: m.stack });
        return resolve(); // a crash in start() still hands back a (crashed) handle
      case "stopped": return onStopped();
    }
  });
  worker.addEventListener("error", (ev) => {
    const err = ev.error instanceof Error ? ev.error : new Error(ev.message ?? String(ev.error ?? "worker error"));
    reject(new GuestError(GuestErrorCode.LOAD_FAILED, name, `${PREFIX} starting guest "${name}": its Worker failed: ${err.message}`, { cause: err }));
    handle.crashed(describeError(err));
  });
  return { ready, stopped };
}

/** URL of the worker entry next to this module (`.ts` from sources, `.js` when built). */
function entryUrl(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./guest-worker${ext}`, import.meta.url);
}

const defaultFactory: WorkerFactory = (url, opts) => {
  const W = (globalThis as { Worker?: new (u: URL, o: { type: "module"; name: string }) => WorkerLike }).Worker;
  if (typeof W !== "function") {
    throw new TypeError(`${PREFIX} starting guest "${opts.name}": this runtime has no global Worker; pass a workerFactory (Node: nodeWorkerFactory from @v8r/fvp-core/node)`);
  }
  return new W(url, { type: "module", name: opts.name });
};

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Wait for `p`, at most `ms` milliseconds, without leaving a timer behind; true when it settled in time. */
async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let id: ReturnType<typeof globalThis.setTimeout> | undefined;
  const timeout = new Promise<boolean>((r) => {
    id = globalThis.setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    globalThis.clearTimeout(id);
  }
}
