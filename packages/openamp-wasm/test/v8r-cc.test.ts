import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runV8rCc, SUSPENDING_IMPORTS } from "../src/v8r-cc.ts";
import { buildC, pkgPath } from "./_c-build.ts";

const tmp = (): string => mkdtempSync(join(tmpdir(), "v8r-cc-t-"));
const cli = pkgPath("src/v8r-cc-cli.ts");
const tsx = new URL("../../../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

function cc(args: string[], env: Record<string, string | undefined> = {}): { status: number; lines: string[] } {
  const lines: string[] = [];
  const status = runV8rCc(args, { env: { ...process.env, ...env }, error: (l) => lines.push(l), out: (t) => lines.push(t) });
  return { status, lines };
}

describe("v8r-cc", () => {
  it("builds a WASI command that imports only WASI and the v8r runtime, and can suspend", async () => {
    const mod = await WebAssembly.compile(buildC(["examples/c/ping.c"]));
    const modules = new Set(WebAssembly.Module.imports(mod).map((i) => i.module));
    expect([...modules].sort()).toEqual(["v8r_env", "v8r_port", "v8r_shm", "wasi_snapshot_preview1"]);
    const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(["_start", "memory", "asyncify_start_unwind", "asyncify_start_rewind", "v8r_asyncify_buf", "v8r_asyncify_size"]));
    expect(SUSPENDING_IMPORTS).toContain("v8r_port.wait");
  });

  it("compiles with -c, then links the objects", () => {
    const dir = tmp();
    expect(cc(["-c", pkgPath("examples/c/echo.c"), "-o", join(dir, "echo.o")]).status).toBe(0);
    expect(cc([join(dir, "echo.o"), "-o", join(dir, "echo.wasm")]).status).toBe(0);
    const mod = new WebAssembly.Module(readFileSync(join(dir, "echo.wasm")));
    expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toContain("_start");
  }, 120_000); // two clang runs and a link: 17 s on a busy machine, over 30 s on a very busy one

  it("probes the toolchain once per process: a second compile with the same tools runs no probe", () => {
    const dir = tmp();
    const log = join(dir, "clang.log");
    const clang = join(dir, "clang");
    // a clang that logs each call, then is the real one
    writeFileSync(clang, `#!/bin/sh\necho "$*" >> '${log}'\nexec clang "$@"\n`);
    chmodSync(clang, 0o755);
    const probes = (): number => readFileSync(log, "utf8").split("\n").filter((l) => /--version|-print-/.test(l)).length;
    for (const n of [1, 2]) expect(cc(["-c", pkgPath("examples/c/echo.c"), "-o", join(dir, `echo${n}.o`)], { V8R_CLANG: clang }).status).toBe(0);
    expect(probes()).toBe(2); // clang --version and the WASI C library, for the first compile only
    expect(cc([join(dir, "echo1.o"), "-o", join(dir, "echo.wasm")], { V8R_CLANG: clang }).status).toBe(0);
    expect(probes()).toBe(4); // a link needs two more of clang (wasm-ld, the compiler runtime)
    expect(cc([join(dir, "echo2.o"), "-o", join(dir, "echo2.wasm")], { V8R_CLANG: clang }).status).toBe(0);
    expect(probes()).toBe(4);
  }, 240_000); // three compiles and two links (Asyncify) on a loaded machine

  it.each([
    { env: { V8R_CLANG: "/nonexistent/clang" }, pkg: "apt-get install clang " },
    { env: { V8R_WASM_OPT: "/nonexistent/wasm-opt" }, pkg: "apt-get install binaryen " },
  ])("a missing tool is one line naming its Debian package ($pkg)", ({ env, pkg }) => {
    const r = cc(["-o", join(tmp(), "x.wasm"), pkgPath("examples/c/echo.c")], env);
    expect(r.status).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^\[openamp-wasm\] v8r-cc: .* not found; install it with: /);
    expect(r.lines[0]).toContain(pkg);
  });

  it("passes compiler errors through unchanged, with clang's exit status", () => {
    const src = pkgPath("test/c/syntax-error.c");
    const own = spawnSync("clang", ["--target=wasm32-wasi", "-fsyntax-only", src], { encoding: "utf8" });
    const r = spawnSync(process.execPath, ["--import", tsx, cli, "-o", join(tmp(), "x.wasm"), src], { encoding: "utf8" });
    expect(own.status).toBe(1);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(own.stderr);
    expect(r.stderr).toContain("error: expected ';' after return statement");
  });

  it.each([
    { args: [], message: "[openamp-wasm] v8r-cc: no input files (v8r-cc --help for usage)" },
    { args: ["--asyncify-import", "wait", "x.c"], message: `[openamp-wasm] v8r-cc: --asyncify-import needs MODULE.NAME (e.g. my_os.wait), not "wait" (v8r-cc --help for usage)` },
    { args: ["x.c", "-o"], message: "[openamp-wasm] v8r-cc: -o needs a file name (v8r-cc --help for usage)" },
  ])("usage error $args: exit 2 with one line", ({ args, message }) => {
    expect(cc(args)).toEqual({ status: 2, lines: [message] });
  });

  it("--help says what it builds and what it needs", () => {
    const r = cc(["--help"]);
    expect(r.status).toBe(0);
    expect(r.lines.join("")).toContain('#include "platform_info.h"');
    expect(r.lines.join("")).toContain("clang lld wasi-libc libclang-rt-dev-wasm32 binaryen");
  });
});
