// Example guest "ping": every 100 ms it posts a message into its outbox in the
// shared region and sends SGI 1 to the pong guest's CPU; SGI 2 tells it a
// reply is waiting in its inbox. The outbox holds one message, so a tick
// whose previous ping is still unanswered (a slow or busy peer) sends
// nothing. After `rounds` replies it tells the host.
import type { GuestEnv, WindowDescriptor } from "../src/mod.ts";
import { MemoryWindow } from "../src/mod.ts";
import { post, take } from "./_mailbox.ts";

interface PingCtx extends GuestEnv {
  outbox: WindowDescriptor;
  inbox: WindowDescriptor;
  peerCpu: number;
  rounds: number;
}

/** SGI the ping guest sends to wake pong. */
export const SGI_PING = 1;
/** SGI the pong guest sends back. */
export const SGI_PONG = 2;

export function start(ctx: PingCtx): void {
  const outbox = MemoryWindow.fromDescriptor(ctx.outbox);
  const inbox = MemoryWindow.fromDescriptor(ctx.inbox);
  const cpu = ctx.cpus[0]!;
  let sent = 0;
  let lastReply = 0;
  ctx.console(`ping: up on cpu ${cpu.index}, ${ctx.rounds} rounds to go\n`);
  ctx.irq.on(SGI_PONG, () => {
    const m = take(inbox, lastReply);
    if (!m) return;
    lastReply = m.seq;
    ctx.console(`ping: got "${m.text}" at ${ctx.clock.now().toFixed(1)} ms\n`);
    if (m.seq >= ctx.rounds) {
      ctx.console(`ping: done, cpu ${cpu.index} load ${(cpu.load(1000) * 100).toFixed(1)}%\n`);
      ctx.control.post({ done: true, rounds: m.seq });
    }
  });
  ctx.irq.enable(SGI_PONG);
  const timer = ctx.clock.setInterval(() => {
    if (sent > lastReply) return; // not answered yet: posting now would overwrite it
    sent++;
    cpu.charge(2); // model 2 ms of work per message
    post(outbox, sent, `ping ${sent}`);
    ctx.console(`ping: sent "ping ${sent}"\n`);
    ctx.irq.sendSgi(SGI_PING, ctx.peerCpu);
    if (sent >= ctx.rounds) timer.cancel();
  }, 100);
}
