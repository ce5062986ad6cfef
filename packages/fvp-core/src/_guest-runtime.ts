/**
 * Internal: the guest side, shared by the inline and worker executors (one
 * code path). Builds the guest's env over platform objects of the current
 * thread, loads the runtime and image modules and calls `start(ctx)`.
 */
import { PREFIX } from "./_format.ts";
import type { Clock, TimerHandle } from "./clock.ts";
import type { CpuHandle } from "./cpu.ts";
import type { ControlPort, GuestEnv, GuestIrq } from "./executor.ts";
import { describeError, GuestError, GuestErrorCode } from "./guest-error.ts";
import type { InterruptController } from "./interrupt-controller.ts";
import type { TraceSink } from "./trace-bus.ts";

/** Platform objects of the guest's thread, and how to talk to the host. */
export interface GuestSide {
  name: string;
  image: string;
  runtime?: string | undefined;
  init: unknown;
  clock: Clock;
  cpus: CpuHandle[];
  gic: InterruptController;
  trace: TraceSink;
  console(bytes: Uint8Array | string): void;
  postControl(msg: unknown): void;
  /** The image is loaded and `start(ctx)` is about to be called. */
  starting(): void;
  /** The guest crashed: report it to the host (called once). */
  crashed(info: { error: string; stack?: string }): void;
}

/** A started guest, seen from its own thread. */
export interface RunningGuest {
  /** Deliver UART input. */
  input(bytes: Uint8Array): void;
  /** Deliver a control message from the host. */
  control(msg: unknown): void;
  /** Call the image's optional `stop(ctx)` and the runtime's optional `destroyContext(ctx, reason)`, then cancel timers and handlers. */
  stop(reason?: string): Promise<void>;
}

const INERT: TimerHandle = { cancel() {}, active: false };

interface GuestModule {
  start(ctx: unknown): unknown;
  stop?(ctx: unknown): unknown;
}

/** Lifetime of one guest in its thread: guards its callbacks and undoes its registrations. */
class GuestScope {
  dead = false;
  readonly cleanups = new Set<() => void>();
  readonly inputs = new Set<(b: Uint8Array) => void>();
  readonly controls = new Set<(m: unknown) => void>();
  readonly #first: CpuHandle;
  readonly #crashed: (info: { error: string; stack?: string }) => void;

  constructor(first: CpuHandle, crashed: (info: { error: string; stack?: string }) => void) {
    this.#first = first;
    this.#crashed = crashed;
  }

  shutdown(): void {
    this.dead = true;
    for (const c of [...this.cleanups]) c();
    this.cleanups.clear();
    this.inputs.clear();
    this.controls.clear();
  }

  fail = (e: unknown): void => {
    if (this.dead) return;
    this.shutdown();
    this.#crashed(describeError(e));
  };

  /** Wrap guest code: a no-op once dead, errors crash the guest, time accounted on `cpu`. */
  guard<A extends unknown[]>(fn: (...a: A) => void, cpu: CpuHandle = this.#first): (...a: A) => void {
    return (...a: A): void => {
      if (this.dead) return;
      try {
        cpu.busy(() => fn(...a));
      } catch (e) {
        this.fail(e);
      }
    };
  }

  /** Remember a registration so stopping the guest undoes it; returns the undo function. */
  track(undo: () => void): () => void {
    this.cleanups.add(undo);
    return () => {
      this.cleanups.delete(undo);
      undo();
    };
  }
}

/** The guest's view of the platform clock: its timers are tracked and guarded. */
function guestClock(base: Clock, scope: GuestScope): Clock {
  const handle = (h: TimerHandle): TimerHandle => {
    const cancel = scope.track(() => h.cancel());
    return {
      cancel,
      get active() {
        return h.active;
      },
    };
  };
  return {
    kind: base.kind,
    now: () => base.now(),
    hold: (work) => base.hold(work),
    background: (work) => base.background(work),
    setTimeout(cb, ms) {
      if (scope.dead) return INERT;
      const g = scope.guard(cb);
      const h = handle(base.setTimeout(() => {
        h.cancel();
        g();
      }, ms));
      return h;
    },
    setInterval: (cb, ms) => (scope.dead ? INERT : handle(base.setInterval(scope.guard(cb), ms))),
  };
}

/** The guest's interrupt interface: handlers run guarded on the guest's CPU. */
function guestIrq(side: GuestSide, scope: GuestScope, first: CpuHandle): GuestIrq {
  const cpuOf = (cpu: number | undefined): CpuHandle => side.cpus.find((c) => c.index === cpu) ?? first;
  const gic = side.gic;
  return {
    on(line, handler, cpu) {
      const c = cpuOf(cpu);
      return scope.track(gic.onIrq(c.index, line, scope.guard((n: number) => handler(n), c)));
    },
    enable: (line, cpu) => gic.enable(line, cpu ?? first.index),
    disable: (line, cpu) => gic.disable(line, cpu ?? first.index),
    raise: (line, cpu) => gic.raise(line, cpu ?? first.index),
    sendSgi: (sgi, cpu) => gic.sendSgi(sgi, cpu),
    setTarget: (line, cpu) => gic.setTarget(line, cpu),
    isPending: (line, cpu) => gic.isPending(line, cpu ?? first.index),
  };
}

function guestEnv(side: GuestSide, scope: GuestScope, first: CpuHandle): GuestEnv {
  const control: ControlPort = {
    post: (msg) => {
      if (!scope.dead) side.postControl(msg);
    },
    onMessage(cb) {
      const g = scope.guard(cb);
      scope.controls.add(g);
      return () => scope.controls.delete(g);
    },
  };
  return {
    name: side.name,
    clock: guestClock(side.clock, scope),
    cpus: side.cpus,
    console: (b) => {
      if (!scope.dead) side.console(b);
    },
    onInput: (cb) => void scope.inputs.add(scope.guard(cb)),
    control,
    irq: guestIrq(side, scope, first),
    trace: side.trace,
  };
}

/** Load the guest's modules and call `start(ctx)`; rejects with GuestError when loading fails. */
export async function runGuest(side: GuestSide): Promise<RunningGuest> {
  const first = side.cpus[0];
  if (!first) throw new RangeError(`${PREFIX} starting guest "${side.name}": it has no CPU`);
  let destroy = async (_reason: string): Promise<void> => {};
  // The runtime cleans up before the host hears of the crash (a Worker is terminated then).
  const scope = new GuestScope(first, (info) => {
    void destroy("crashed");
    side.crashed(info);
  });
  const env = guestEnv(side, scope, first);
  // Loading takes real time only: a virtual clock does not run ahead of it (a guest restarted mid-run starts at the same instant every run).
  // Started in turn, so the context's set-up (its timers, its vCPU) happens at the same point of every run.
  const { mod, ctx, destroyContext } = await env.clock.hold(() => load(side, env));
  if (destroyContext !== undefined) destroy = onceDestroy(destroyContext, ctx);
  side.starting();
  try {
    const r = first.busy(() => mod.start(ctx));
    if (isThenable(r)) r.then(undefined, scope.fail);
  } catch (e) {
    scope.fail(e);
  }
  return {
    input: (b) => scope.inputs.forEach((cb) => cb(b)),
    control: (m) => scope.controls.forEach((cb) => cb(m)),
    async stop(reason = "stop") {
      if (scope.dead) return;
      try {
        await mod.stop?.(ctx);
      } catch {
        // The guest is stopping anyway; a failing stop hook changes nothing.
      }
      await destroy(reason);
      scope.shutdown();
    },
  };
}

type DestroyContext = (ctx: unknown, reason: string) => unknown;

/** The runtime's `destroyContext`, called at most once; its failures are ignored (the guest is going away). */
function onceDestroy(fn: DestroyContext, ctx: unknown): (reason: string) => Promise<void> {
  let called = false;
  return async (reason) => {
    if (called) return;
    called = true;
    try {
      await fn(ctx, reason);
    } catch {
      // Nothing left to report it to: the guest is stopped or crashed already.
    }
  };
}

async function load(side: GuestSide, env: GuestEnv): Promise<{ mod: GuestModule; ctx: unknown; destroyContext?: DestroyContext }> {
  const what = (u: string): string => `${PREFIX} starting guest "${side.name}": loading ${u}`;
  let ctx: unknown;
  let destroyContext: DestroyContext | undefined;
  // Load the image while the runtime loads and builds ctx; its failure is reported after the runtime's.
  const image = importOrThrow(side, side.image);
  image.catch(() => {});
  if (side.runtime) {
    const rt = await importOrThrow(side, side.runtime);
    const create = rt["createContext"];
    if (typeof create !== "function") throw new GuestError(GuestErrorCode.LOAD_FAILED, side.name, `${what(side.runtime)}: it exports no createContext function`);
    try {
      ctx = await (create as (i: unknown, e: GuestEnv) => unknown)(side.init, env);
    } catch (e) {
      throw new GuestError(GuestErrorCode.LOAD_FAILED, side.name, `${what(side.runtime)}: createContext failed: ${describeError(e).error}`, { cause: e });
    }
    const destroy = rt["destroyContext"];
    if (typeof destroy === "function") destroyContext = destroy as DestroyContext;
  } else {
    const fields = side.init !== null && typeof side.init === "object" ? side.init : {};
    ctx = { ...fields, ...env, init: side.init };
  }
  const mod = await image;
  if (typeof mod["start"] !== "function") throw new GuestError(GuestErrorCode.LOAD_FAILED, side.name, `${what(side.image)}: it exports no start function`);
  return { mod: mod as unknown as GuestModule, ctx, ...(destroyContext === undefined ? {} : { destroyContext }) };
}

async function importOrThrow(side: GuestSide, url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new GuestError(GuestErrorCode.LOAD_FAILED, side.name, `${PREFIX} starting guest "${side.name}": could not import ${url}: ${describeError(e).error}`, { cause: e });
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}
