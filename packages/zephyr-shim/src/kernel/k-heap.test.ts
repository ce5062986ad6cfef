import { describe, expect, it } from "vitest";
import { makeKernel } from "../../test/_kernel-fixture.ts";

describe("heap", () => {
  it("accounts chunks of 8 bytes plus an 8-byte header and tracks the peak", () => {
    const { k } = makeKernel({ heapSize: 1024 });
    const a = k.k_malloc(10);
    const b = k.k_malloc(100);
    expect(k.sys_heap_runtime_stats_get()).toEqual({ free_bytes: 1024 - 24 - 112, allocated_bytes: 136, max_allocated_bytes: 136 });
    k.k_free(a);
    expect(k.sys_heap_runtime_stats_get()).toEqual({ free_bytes: 1024 - 112, allocated_bytes: 112, max_allocated_bytes: 136 });
    k.k_free(b);
    expect(b?.bytes.length).toBe(100);
  });

  it("returns null when the heap is exhausted", () => {
    const { k } = makeKernel({ heapSize: 64 });
    expect(k.k_malloc(48)).not.toBeNull();
    expect(k.k_malloc(8)).toBeNull();
  });

  it("a double free is a TypeError", () => {
    const { k } = makeKernel();
    const a = k.k_malloc(4);
    k.k_free(a);
    expect(() => k.k_free(a)).toThrow(TypeError);
    expect(() => k.k_free(null)).not.toThrow();
  });
});
