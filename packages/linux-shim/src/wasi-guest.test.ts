// What ties the Linux guest's WASI file system to v8r-cc: every call the root
// filesystem answers may wait for its storage (a promise), and a program
// suspends there only when v8r-cc's Asyncify list names the import (a
// missing one fails only at run time, in the program that calls it).
import { SUSPENDING_IMPORTS } from "@v8r/openamp-wasm/v8r-cc";
import { describe, expect, it } from "vitest";
import { MemoryRootFs } from "./rootfs-memory.ts";
import { rootFsWasi } from "./_wasi-rootfs.ts";

describe("the root filesystem's WASI calls", () => {
  it("are each named in v8r-cc's SUSPENDING_IMPORTS", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const host = { memory: () => memory, text: () => "", fds: [], original: {} };
    const names = Object.keys(rootFsWasi(new MemoryRootFs(), { hold: (work) => work }).wasi(host)).map((n) => `wasi_snapshot_preview1.${n}`);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !SUSPENDING_IMPORTS.includes(n))).toEqual([]);
  });
});
