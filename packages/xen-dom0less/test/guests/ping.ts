/**
 * Test guest "ping": writes a sequence number into the shared region, sends on
 * its port, and waits for pong to echo it back; after `rounds=N` echoes it
 * publishes `pingpong-done` (with `ms` since start and `steadyMs` since the
 * first echo, which leaves out pong's boot). Region "pingpong": u32 at 0 =
 * ping's number, u32 at 4 = pong's echo.
 */
import type { DomainContext } from "../../src/domain-context.ts";
import { args, num } from "./_args.ts";

/** What ping publishes: it finished its rounds. */
export interface PingDoneEvent {
  readonly type: "pingpong-done";
  readonly rounds: number;
  readonly ms: number;
  readonly steadyMs: number;
}

export function start(ctx: DomainContext): void {
  const a = args(ctx.bootargs);
  const rounds = num(a, "rounds", 10);
  const port = num(a, "port", 10);
  const shm = ctx.mapSharedMemory("pingpong");
  let seq = 1;
  const t0 = ctx.clock.now();
  let firstEcho = t0;
  ctx.console.write(`ping: d${ctx.domid} up, ${rounds} rounds on port ${port}\n`);
  ctx.evtchn.bind(port, () => {
    const echo = shm.loadAcquire32(4);
    if (echo !== seq) return;
    if (seq === 1) firstEcho = ctx.clock.now();
    if (seq >= rounds) {
      ctx.console.write(`ping: done after ${seq} rounds\n`);
      ctx.publish<PingDoneEvent>({ type: "pingpong-done", rounds: seq, ms: ctx.clock.now() - t0, steadyMs: ctx.clock.now() - firstEcho });
      return;
    }
    seq++;
    shm.storeRelease32(0, seq);
    ctx.evtchn.send(port);
  });
  shm.storeRelease32(0, seq);
  ctx.evtchn.send(port);
}
