import { describe, expect, it, vi } from "vitest";
import { type FvpTraceEvent, RemoteTraceSink, TraceBus } from "./trace-bus.ts";

// Events of this test only, composed with fvp-core's as another package's would be.
type TestEvent = { readonly type: "custom"; readonly detail: number } | { readonly type: "x" | "dropped" | "kept" };
type Event = FvpTraceEvent | TestEvent;

describe("TraceBus", () => {
  it("is inactive without listeners and delivers to each listener in order", () => {
    const bus = new TraceBus<Event>();
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
    const bus = new TraceBus<Event>({ onListenerError });
    const seen: Event[] = [];
    bus.on(() => {
      throw new Error("listener bug");
    });
    bus.on((e) => seen.push(e));
    bus.emit({ type: "x" });
    expect(seen).toHaveLength(1);
    expect(onListenerError).toHaveBeenCalledOnce();
  });

  it("mirrors the listener count for remote sinks, which forward only when someone listens", () => {
    const bus = new TraceBus<Event>();
    const sent: Event[] = [];
    const remote = new RemoteTraceSink<Event>(structuredClone(bus.listenerFlag), (e) => sent.push(e));
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
    const bus = new TraceBus<Event>();
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
