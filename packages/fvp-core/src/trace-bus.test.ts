import { describe, expect, it, vi } from "vitest";
import { RemoteTraceSink, TraceBus, type TraceEvent } from "./trace-bus.ts";

// Events of this test only, added to the registry as another package adds its own.
declare module "@v8r/fvp-core" {
  interface TraceEventMap {
    custom: { readonly detail: number };
    x: Record<never, never>;
    dropped: Record<never, never>;
    kept: Record<never, never>;
  }
}

describe("TraceBus", () => {
  it("is inactive without listeners and delivers to each listener in order", () => {
    const bus = new TraceBus();
    expect(bus.active).toBe(false);
    const seen: string[] = [];
    const off1 = bus.on((e) => seen.push(`1:${e.type}`));
    bus.on((e) => seen.push(`2:${e.type}`));
    expect(bus.active).toBe(true);
    bus.emit({ type: "guest-started", guest: "z" });
    off1();
    bus.emit({ type: "custom", detail: 1 });
    expect(seen).toEqual(["1:guest-started", "2:guest-started", "2:custom"]);
  });

  it("a throwing listener does not stop the others", () => {
    const onListenerError = vi.fn();
    const bus = new TraceBus({ onListenerError });
    const seen: TraceEvent[] = [];
    bus.on(() => {
      throw new Error("listener bug");
    });
    bus.on((e) => seen.push(e));
    bus.emit({ type: "x" });
    expect(seen).toHaveLength(1);
    expect(onListenerError).toHaveBeenCalledOnce();
  });

  it("mirrors the listener count for remote sinks, which forward only when someone listens", () => {
    const bus = new TraceBus();
    const sent: TraceEvent[] = [];
    const remote = new RemoteTraceSink(structuredClone(bus.listenerFlag), (e) => sent.push(e));
    remote.emit({ type: "dropped" });
    expect(remote.active).toBe(false);
    const off = bus.on(() => {});
    expect(remote.active).toBe(true);
    remote.emit({ type: "kept" });
    off();
    expect(remote.active).toBe(false);
    expect(sent.map((e) => e.type)).toEqual(["kept"]);
  });

  it("gives a listener the fields of the event its type names", () => {
    const bus = new TraceBus();
    const seen: string[] = [];
    bus.on((e) => {
      if (e.type === "guest-stop-timeout") seen.push(`${e.guest} ${e.ms}`);
      if (e.type === "custom") seen.push(`custom ${e.detail + 1}`);
    });
    bus.emit({ type: "guest-stop-timeout", guest: "linux", ms: 1000 });
    bus.emit({ type: "custom", detail: 41 });
    expect(seen).toEqual(["linux 1000", "custom 42"]);
  });
});
