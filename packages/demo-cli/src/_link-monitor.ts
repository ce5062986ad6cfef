// The dashboard's view of the RPMsg link, read the way a debugger would:
// from the static shared memory itself (openamp-wasm's readRingState), plus
// the link events the guests publish. Nothing here talks to a guest, and
// nothing here knows where a vring lies: the layout is openamp-wasm's.
import type { MemoryWindow, TraceEvent } from "@v8r/fvp-core";
import { readRingState, type RingState, staticVringsLayout, type StaticVringsLayout } from "@v8r/openamp-wasm";
import { RPMSG_BUFFER_BYTES } from "../apps/rpmsg-demo/protocol/mod.ts";
import { createRateMeter, type RateMeter } from "./dashboard/rate-meter.ts";
import type { LinkSnapshot } from "./dashboard/snapshot.ts";

/** Link statistics for the dashboard, from shared memory and guest events. */
export class LinkMonitor {
  readonly #win: MemoryWindow;
  readonly #layout: StaticVringsLayout;
  readonly #tx: RateMeter = createRateMeter();
  readonly #rx: RateMeter = createRateMeter();
  #sent = 0;
  #received = 0;
  #last: RingState;
  #hostState = "down";
  #retries = 0;
  #reinits = 0;
  #lost = 0;

  /** Watch the static-vrings link laid out over `win` (the whole region). */
  constructor(win: MemoryWindow, bufferSize = RPMSG_BUFFER_BYTES) {
    this.#win = win;
    this.#layout = staticVringsLayout({ shmSize: win.size, bufferSize });
    this.#last = this.#read();
  }

  /** Take a reading of the ring indices at `nowMs` (call about once a second). */
  sample(nowMs: number): void {
    const now = this.#read();
    // 16-bit indices: the difference modulo 2^16 counts across a wrap (and a re-init that restarts them at 0).
    this.#sent += (now.toRemote.availIdx - this.#last.toRemote.availIdx) & 0xffff;
    this.#received += (now.toHost.usedIdx - this.#last.toHost.usedIdx) & 0xffff;
    this.#last = now;
    this.#tx.record(this.#sent, nowMs);
    this.#rx.record(this.#received, nowMs);
  }

  /** Take in a guest event from the trace bus (link state, counters, lost samples). */
  observe(event: TraceEvent): void {
    if (event.type === "zephyr.link") {
      this.#hostState = event.state === "reinit" ? "re-initialising" : event.state;
      this.#retries = event.rt;
      this.#reinits = event.ri;
    } else if (event.type === "linux.sample") {
      this.#lost += event.lost;
    }
  }

  /** The link as the dashboard shows it. */
  snapshot(): LinkSnapshot {
    const ring = this.#read();
    return {
      state: ring.driverOk ? this.#hostState : "down",
      txPerSec: this.#tx.perSecond(),
      rxPerSec: this.#rx.perSecond(),
      ringUsed: ring.toRemote.inFlight,
      ringSize: ring.num,
      retries: this.#retries,
      reinits: this.#reinits,
      lost: this.#lost,
    };
  }

  #read(): RingState {
    return readRingState(this.#layout, this.#win);
  }
}
