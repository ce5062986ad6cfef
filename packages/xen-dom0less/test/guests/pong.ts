/** Test guest "pong": echoes ping's sequence number (region "pingpong", u32 at 0 -> u32 at 4) and sends back. */
import type { DomainContext } from "../../src/domain-context.ts";
import { args, num } from "./_args.ts";

export function start(ctx: DomainContext): void {
  const port = num(args(ctx.bootargs), "port", 10);
  const shm = ctx.mapSharedMemory("pingpong");
  let echoed = 0;
  ctx.console.write(`pong: d${ctx.domid} up\n`);
  ctx.evtchn.bind(port, () => {
    const seq = shm.loadAcquire32(0);
    if (seq === echoed) return;
    if (seq !== echoed + 1) throw new Error(`pong: expected ${echoed + 1}, got ${seq}`);
    echoed = seq;
    shm.storeRelease32(4, seq);
    ctx.evtchn.send(port);
  });
}
