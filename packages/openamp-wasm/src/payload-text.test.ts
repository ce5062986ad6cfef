import { describe, expect, it } from "vitest";
import { decodePayloadText } from "./payload-text.ts";

function sharedView(bytes: number[], offset = 3): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length + offset + 5), offset, bytes.length);
  view.set(bytes);
  return view;
}

describe("decodePayloadText", () => {
  it("decodes a view into shared memory, only its own bytes", () => {
    const text = "{\"seq\":1,\"é\":\"€\"}";
    expect(decodePayloadText(sharedView([...new TextEncoder().encode(text)]))).toBe(text);
  });

  it("decodes an ordinary Uint8Array", () => {
    expect(decodePayloadText(new TextEncoder().encode("ok"))).toBe("ok");
  });

  it("throws on bytes that are not UTF-8 by default, and replaces them when not fatal", () => {
    expect(() => decodePayloadText(sharedView([0x61, 0xff]))).toThrow(TypeError);
    expect(decodePayloadText(sharedView([0x61, 0xff]), { fatal: false })).toBe("a\ufffd");
  });
});
