/**
 * Internal (Node): finding the tools v8r-cc drives, Debian's clang with
 * wasi-libc and binaryen's wasm-opt, and saying in one line which Debian
 * package to install when one is missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The Debian packages v8r-cc needs, in one `apt-get install` line. */
export const DEBIAN_PACKAGES = "clang lld wasi-libc libclang-rt-dev-wasm32 binaryen";

/** Tool names, overridable by V8R_CLANG and V8R_WASM_OPT. */
export interface Toolchain {
  /** The clang driver. */
  readonly clang: string;
  /** binaryen's wasm-opt. */
  readonly wasmOpt: string;
}

/** A missing piece of the toolchain: `message` is one line naming the Debian package. */
export class ToolchainError extends Error {
  /** Which piece is missing. */
  readonly code: "clang" | "wasm-ld" | "wasi-libc" | "compiler-rt" | "wasm-opt";
  /** Build the error. */
  constructor(code: ToolchainError["code"], message: string) {
    super(message);
    this.name = "ToolchainError";
    this.code = code;
  }
}

/** The tools named by the environment, else the Debian defaults. */
export function toolchainFrom(env: Readonly<Record<string, string | undefined>>): Toolchain {
  return { clang: env.V8R_CLANG || "clang", wasmOpt: env.V8R_WASM_OPT || "wasm-opt" };
}

function ask(cmd: string, args: readonly string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) return undefined;
  return r.stdout.trim();
}

const install = (pkg: string): string => `install it with: apt-get install ${pkg} (v8r-cc needs ${DEBIAN_PACKAGES})`;

/** What this process found present, by tools and part (compile, link): each part is probed once. */
const checked = new Set<string>();

/**
 * Check what a compile (`link` false) or a compile-and-link needs; throws
 * {@link ToolchainError} for the first missing piece. A part found present
 * is not probed again in this process (a missing one is, so installing it
 * mid-way works): a build of many files runs the probes once.
 */
export function checkToolchain(tools: Toolchain, link: boolean): void {
  const once = (part: string, probe: (t: Toolchain) => void): void => {
    const key = JSON.stringify([tools.clang, tools.wasmOpt, part]);
    if (checked.has(key)) return;
    probe(tools);
    checked.add(key);
  };
  once("compile", probeCompile);
  if (link) once("link", probeLink);
}

/** What a compile needs: clang and the WASI C library. */
function probeCompile(tools: Toolchain): void {
  if (ask(tools.clang, ["--version"]) === undefined) {
    throw new ToolchainError("clang", `[openamp-wasm] v8r-cc: ${tools.clang} not found; ${install("clang")}`);
  }
  const crt = ask(tools.clang, ["--target=wasm32-wasi", "-print-file-name=crt1-command.o"]);
  if (crt === undefined || !crt.startsWith("/") || !existsSync(crt)) {
    throw new ToolchainError("wasi-libc", `[openamp-wasm] v8r-cc: ${tools.clang} finds no WASI C library (crt1-command.o); ${install("wasi-libc")}`);
  }
}

/** What a link needs besides: wasm-ld, the compiler runtime and wasm-opt. */
function probeLink(tools: Toolchain): void {
  const ld = ask(tools.clang, ["--target=wasm32-wasi", "-print-prog-name=wasm-ld"]);
  if (ld === undefined || !(ld.startsWith("/") ? existsSync(ld) : ask(ld, ["--version"]) !== undefined)) {
    throw new ToolchainError("wasm-ld", `[openamp-wasm] v8r-cc: wasm-ld (the WebAssembly linker) not found; ${install("lld")}`);
  }
  const rt = ask(tools.clang, ["--target=wasm32-wasi", "-print-libgcc-file-name"]);
  if (rt === undefined || !existsSync(rt)) {
    throw new ToolchainError("compiler-rt", `[openamp-wasm] v8r-cc: the wasm32 compiler runtime (libclang_rt.builtins-wasm32.a) not found; ${install("libclang-rt-dev-wasm32")}`);
  }
  if (ask(tools.wasmOpt, ["--version"]) === undefined) {
    throw new ToolchainError("wasm-opt", `[openamp-wasm] v8r-cc: ${tools.wasmOpt} not found; ${install("binaryen")}`);
  }
}
