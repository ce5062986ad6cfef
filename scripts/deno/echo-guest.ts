// The guest image of the Deno check: answers one control message through a
// shared-memory window, so the round trip crosses a real Worker boundary.
import { type GuestEnv, MemoryWindow, type WindowDescriptor } from "@v8r/fvp-core";

interface Ctx extends GuestEnv {
  shm: WindowDescriptor;
}

/** Guest entry point: doubles the number the host stored and replies. */
export function start(ctx: Ctx): void {
  const win = MemoryWindow.fromDescriptor(ctx.shm);
  ctx.console(`deno guest ${ctx.name} up\n`);
  ctx.control.onMessage(() => {
    win.storeRelease32(4, win.loadAcquire32(0) * 2);
    ctx.control.post({ op: "done" });
  });
}
