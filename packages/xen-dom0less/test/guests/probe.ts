/**
 * Test guest "probe": does what control messages tell it and reports on the
 * trace bus (`ctx.publish`), so one scenario runs the same inline and in
 * Workers. Ops: bind, unbind, mask, unmask, send, burst (write 1..n into the
 * region "probe" at offset 0, sending after each), query, ticker, throw,
 * shutdown, hello, irqs (report `ctx.interrupts()`), and the hypercalls
 * alloc, bind-inter, close, status (reported as "probe-result"). Console
 * input is reported as "probe-input".
 */
import type { DomainContext } from "../../src/domain-context.ts";

/** What probe reports; each carries the fields of its op. */
type ProbeReport =
  | "probe-event" | "probe-burst-done" | "probe-state" | "probe-tick" | "probe-result" | "probe-hello" | "probe-error" | "probe-done" | "probe-up"
  | "probe-irqs" | "probe-input";


interface Op {
  op: string;
  id?: number;
  port?: number;
  n?: number;
  period?: number;
  reason?: "poweroff" | "reboot" | "crash";
  ms?: number;
  region?: string;
  dom?: number;
}

export function start(ctx: DomainContext): void {
  const shm = ctx.reservedMemory.some((r) => r.xenId === "probe") ? ctx.mapSharedMemory("probe") : undefined;
  const report = (type: ProbeReport, extra: Record<string, unknown> = {}) => ctx.publish({ type, ...extra });
  const handler = (port: number) => report("probe-event", { port, seq: shm?.loadAcquire32(0) ?? 0 });
  const ops: Record<string, (m: Op) => void> = {
    bind: (m) => ctx.evtchn.bind(m.port!, handler),
    "bind-throwing": (m) =>
      ctx.evtchn.bind(m.port!, () => {
        throw new Error("probe: handler threw");
      }),
    unbind: (m) => ctx.evtchn.unbind(m.port!),
    mask: (m) => ctx.evtchn.mask(m.port!),
    unmask: (m) => ctx.evtchn.unmask(m.port!),
    send: (m) => ctx.evtchn.send(m.port!),
    burst: (m) => {
      for (let i = 1; i <= m.n!; i++) {
        shm!.storeRelease32(0, i);
        ctx.evtchn.send(m.port!);
      }
      report("probe-burst-done", { n: m.n });
    },
    query: (m) => report("probe-state", { port: m.port, pending: ctx.evtchn.isPending(m.port!), masked: ctx.evtchn.isMasked(m.port!) }),
    ticker: (m) => {
      let n = 0;
      ctx.clock.setInterval(() => report("probe-tick", { n: ++n, at: ctx.clock.now() }), m.period ?? 10);
    },
    pinger: (m) => {
      ctx.clock.setInterval(() => ctx.evtchn.send(m.port!), m.period ?? 10);
    },
    throw: () => {
      throw new Error("probe: asked to throw");
    },
    later: (m) => {
      ctx.clock.setTimeout(() => {
        throw new Error("probe: timer threw");
      }, m.ms ?? 0);
    },
    shutdown: (m) => ctx.shutdown(m.reason ?? "poweroff"),
    map: (m) => void ctx.mapSharedMemory(m.region!).size,
    alloc: (m) => report("probe-result", { id: m.id, value: ctx.evtchnOps!.allocUnbound(m.dom!) }),
    "bind-inter": (m) => report("probe-result", { id: m.id, value: ctx.evtchnOps!.bindInterdomain(m.dom!, m.port!) }),
    close: (m) => ctx.evtchnOps!.close(m.port!),
    status: (m) => report("probe-result", { id: m.id, value: ctx.evtchnOps!.status(m.dom!, m.port!) }),
    irqs: () => report("probe-irqs", { lines: ctx.interrupts() }),
    hello: () => report("probe-hello", { domid: ctx.domid, name: ctx.name, bootargs: ctx.bootargs, memoryKiB: ctx.memoryKiB, cpus: ctx.cpus.length, reserved: ctx.reservedMemory, ports: ctx.evtchn.ports() }),
  };
  ctx.console.onInput((bytes) => report("probe-input", { text: new TextDecoder().decode(bytes) }));
  ctx.onControl((raw) => {
    const m = raw as Op;
    const fn = ops[m.op];
    if (!fn) throw new Error(`probe: unknown op ${m.op}`);
    try {
      fn(m);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (m.op === "throw" || m.op === "later") throw e;
      report("probe-error", { id: m.id, op: m.op, code: err.code, message: err.message });
      return;
    }
    report("probe-done", { id: m.id, op: m.op });
  });
  if (ctx.bootargs.includes("crash-at-start")) throw new Error("probe: crashed during start");
  if (ctx.bootargs.includes("shutdown-at-start")) ctx.shutdown("crash");
  report("probe-up", { domid: ctx.domid });
}
