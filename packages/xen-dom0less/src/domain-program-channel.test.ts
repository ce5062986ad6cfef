// The platform channel of a domain's WASI program (module v8r_guest):
// events onto the trace bus, control messages from the host, called as a
// program calls them, with pointers into its memory.
import { describe, expect, it } from "vitest";
import { domainProgramChannel } from "./domain-program-channel.ts";
import type { GuestEvent } from "./trace-events.ts";

function setup() {
  const published: GuestEvent[] = [];
  const listeners = new Set<(m: unknown) => void>();
  const ctx = {
    publish: (e: GuestEvent) => void published.push(e),
    onControl: (l: (m: unknown) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  const memory = new WebAssembly.Memory({ initial: 1 });
  let wakes = 0;
  // the runner's text reader (openamp-wasm's WasiHost.text) over this memory
  const text = (ptr: number, len: number): string => new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len));
  const channel = domainProgramChannel(ctx, { memory: () => memory, text }, () => wakes++);
  const { publish, control } = channel.imports.v8r_guest as Record<string, (...a: number[]) => number>;
  const put = (at: number, text: string): number => {
    const bytes = new TextEncoder().encode(text);
    new Uint8Array(memory.buffer).set(bytes, at);
    return bytes.length;
  };
  const post = (m: unknown): void => listeners.forEach((l) => l(m));
  const read = (at: number, n: number): string => new TextDecoder().decode(new Uint8Array(memory.buffer, at, n));
  return { published, listeners, channel, publish: publish!, control: control!, put, post, read, wakes: () => wakes };
}

describe("domainProgramChannel", () => {
  it("publishes a JSON object with a string type on the trace bus, and refuses anything else", () => {
    const { published, publish, put } = setup();
    expect(publish(0, put(0, '{"type":"linux.sample","seq":3,"sample":{"v":1}}'))).toBe(0);
    expect(published).toEqual([{ type: "linux.sample", seq: 3, sample: { v: 1 } }]);
    for (const bad of ["not json", "[1]", '{"seq":1}', '{"type":7}', "null"]) expect(publish(0, put(0, bad)), bad).toBe(-1);
    expect(published).toHaveLength(1);
  });

  it("hands control messages over oldest first as JSON, wakes the program for each, and says when one does not fit", () => {
    const { post, control, read, wakes } = setup();
    expect(control(0, 100)).toBe(0);
    post({ type: "rpmsg-demo.ctrl", id: 1, command: { cmd: "ping" } });
    post({ type: "other", text: "x".repeat(200) });
    post({ type: "third" });
    expect(wakes()).toBe(3);
    const n = control(0, 100);
    expect(JSON.parse(read(0, n))).toEqual({ type: "rpmsg-demo.ctrl", id: 1, command: { cmd: "ping" } });
    expect(control(0, 100)).toBe(-1); // 200+ bytes: dropped
    expect(JSON.parse(read(0, control(0, 100)))).toEqual({ type: "third" });
    expect(control(0, 100)).toBe(0);
  });

  it("ignores messages JSON cannot carry and stops listening when closed", () => {
    const { post, control, channel, listeners } = setup();
    post(undefined);
    post({ n: 1n });
    expect(control(0, 100)).toBe(0);
    channel.close();
    expect(listeners.size).toBe(0);
  });
});
