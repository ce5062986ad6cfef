import { describe, expect, it, vi } from "vitest";
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

  it("copies a shared view before decoding it, since browsers' TextDecoder refuses shared views", async () => {
    class BrowserLikeDecoder extends TextDecoder {
      override decode(input?: Parameters<TextDecoder["decode"]>[0], options?: TextDecodeOptions): string {
        if (ArrayBuffer.isView(input) && input.buffer instanceof SharedArrayBuffer) throw new TypeError("The provided ArrayBufferView value must not be shared.");
        return super.decode(input, options);
      }
    }
    vi.stubGlobal("TextDecoder", BrowserLikeDecoder);
    vi.resetModules();
    try {
      const browserLike = await import("./payload-text.ts");
      expect(browserLike.decodePayloadText(sharedView([0x6f, 0x6b]))).toBe("ok");
      expect(() => new BrowserLikeDecoder().decode(sharedView([0x6f, 0x6b]))).toThrow(/must not be shared/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it("decodes an ordinary Uint8Array", () => {
    expect(decodePayloadText(new TextEncoder().encode("ok"))).toBe("ok");
  });

  it("throws on bytes that are not UTF-8 by default, and replaces them when not fatal", () => {
    expect(() => decodePayloadText(sharedView([0x61, 0xff]))).toThrow(TypeError);
    expect(decodePayloadText(sharedView([0x61, 0xff]), { fatal: false })).toBe("a\ufffd");
  });
});
