// The dashboard's view of the RPMsg link, read the way a debugger would:
// from the static shared memory itself (vring indices), plus the link
// events the guests publish. Nothing here talks to a guest.
import type { MemoryWindow, TraceEvent } from "@v8r/fvp-core";
import { staticVringsLayout, type StaticVringsLayout } from "@v8r/openamp-wasm";
import { createRateMeter, type RateMeter } from "./dashboard/rate-meter.ts";
import type { LinkSnapshot } from "./dashboard/snapshot.ts";

const VIRTIO_CONFIG_S_DRIVER_OK = 0x04;

/** Offsets of the two index words a monitor reads in one split vring. */
interface RingIdx {
  readonly availIdx: number;
  readonly usedIdx: number;
}

function ringIdx(base: number, num: number, align: number): RingIdx {
  const avail = base + 16 * num;
  const used = Math.ceil((avail + 6 + 2 * num) / align) * align;
  return { availIdx: avail + 2, usedIdx: used + 2 };
}

/** Link statistics for the dashboard, from shared memory and guest events. */
export class LinkMonitor {
  readonly #win: MemoryWindow;
  readonly #layout: StaticVringsLayout;
  readonly #toRemote: RingIdx;
  readonly #toHost: RingIdx;
  readonly #tx: RateMeter = createRateMeter();
  readonly #rx: RateMeter = createRateMeter();
  #sent = 0;
  #received = 0;
  #lastToRemote: number;
  #lastToHost: number;
  #hostState = "down";
  #retries = 0;
  #reinits = 0;
  #lost = 0;

  /** Watch the static-vrings link laid out over `win` (the whole region). */
  constructor(win: MemoryWindow, bufferSize = 512) {
    this.#win = win;
    this.#layout = staticVringsLayout({ shmSize: win.size, bufferSize });
    const { num, align } = this.#layout;
    // vring 1 carries host -> remote messages, vring 0 remote -> host.
    this.#toRemote = ringIdx(this.#layout.vring1Offset, num, align);
    this.#toHost = ringIdx(this.#layout.vring0Offset, num, align);
    this.#lastToRemote = this.#read(this.#toRemote.availIdx);
    this.#lastToHost = this.#read(this.#toHost.usedIdx);
  }

  /** Take a reading of the ring indices at `nowMs` (call about once a second). */
  sample(nowMs: number): void {
    const toRemote = this.#read(this.#toRemote.availIdx);
    const toHost = this.#read(this.#toHost.usedIdx);
    // 16-bit indices: the difference modulo 2^16 counts across a wrap (and a re-init that restarts them at 0).
    this.#sent += (toRemote - this.#lastToRemote) & 0xffff;
    this.#received += (toHost - this.#lastToHost) & 0xffff;
    this.#lastToRemote = toRemote;
    this.#lastToHost = toHost;
    this.#tx.record(this.#sent, nowMs);
    this.#rx.record(this.#received, nowMs);
  }

  /** Take in a guest event from the trace bus (link state, counters, lost samples). */
  observe(event: TraceEvent): void {
    if (event.type === "zephyr.link") {
      const e = event as { state?: unknown; rt?: unknown; ri?: unknown };
      if (typeof e.state === "string") this.#hostState = e.state === "reinit" ? "re-initialising" : e.state;
      if (typeof e.rt === "number") this.#retries = e.rt;
      if (typeof e.ri === "number") this.#reinits = e.ri;
    } else if (event.type === "linux.sample") {
      const e = event as { lost?: unknown };
      if (typeof e.lost === "number") this.#lost += e.lost;
    }
  }

  /** The link as the dashboard shows it. */
  snapshot(): LinkSnapshot {
    const driverOk = (this.#win.read8(this.#layout.statusOffset) & VIRTIO_CONFIG_S_DRIVER_OK) !== 0;
    const inFlight = (this.#read(this.#toRemote.availIdx) - this.#read(this.#toRemote.usedIdx) + 0x1_0000) % 0x1_0000;
    return {
      state: driverOk ? this.#hostState : "down",
      txPerSec: this.#tx.perSecond(),
      rxPerSec: this.#rx.perSecond(),
      ringUsed: Math.min(inFlight, this.#layout.num),
      ringSize: this.#layout.num,
      retries: this.#retries,
      reinits: this.#reinits,
      lost: this.#lost,
    };
  }

  #read(off: number): number {
    return this.#win.loadAcquire16(off);
  }
}
