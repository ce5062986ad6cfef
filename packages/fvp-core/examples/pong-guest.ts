// Example guest "pong": on SGI 1 it reads the message from its inbox in the
// shared region, answers in its outbox and sends SGI 2 back.
import type { GuestEnv, WindowDescriptor } from "../src/mod.ts";
import { MemoryWindow } from "../src/mod.ts";
import { post, take } from "./_mailbox.ts";

interface PongCtx extends GuestEnv {
  outbox: WindowDescriptor;
  inbox: WindowDescriptor;
  peerCpu: number;
}

const SGI_PING = 1;
const SGI_PONG = 2;

export function start(ctx: PongCtx): void {
  const outbox = MemoryWindow.fromDescriptor(ctx.outbox);
  const inbox = MemoryWindow.fromDescriptor(ctx.inbox);
  let last = 0;
  ctx.console(`pong: up on cpu ${ctx.cpus[0]!.index}, waiting for SGI ${SGI_PING}\n`);
  ctx.irq.on(SGI_PING, () => {
    const m = take(inbox, last);
    if (!m) return;
    last = m.seq;
    ctx.cpus[0]!.charge(1);
    ctx.console(`pong: got "${m.text}", answering\n`);
    post(outbox, m.seq, `pong ${m.seq}`);
    ctx.irq.sendSgi(SGI_PONG, ctx.peerCpu);
  });
  ctx.irq.enable(SGI_PING);
}
