/**
 * The platform channel of a domain's WASI program, besides its console: the
 * import module `v8r_guest` (declared for C in the demo's `v8r_guest.h`).
 * `publish(json, len)` puts a JSON event on the platform trace bus (as
 * `ctx.publish` does for a TypeScript guest); `control(buf, cap)` hands the
 * program the oldest control message the host posted to the domain (as
 * `ctx.onControl` does), as JSON. A control message arriving wakes the
 * program from its wait.
 *
 * @module
 */
import type { DomainContext } from "./domain-context.ts";
import type { GuestEvent } from "./trace-events.ts";

/** A function a program imports. */
type ProgramImport = (...args: never[]) => unknown;

/** Most control messages kept for a program that does not take them. */
const MAX_QUEUED = 256;

/** A program's memory as its runner hands it to host functions (`@v8r/openamp-wasm`'s WasiHost fits). */
export interface ProgramMemory {
  /** The program's memory (valid once it runs). */
  memory(): WebAssembly.Memory;
  /** The UTF-8 text the program passes as (`ptr`, `len`). */
  text(ptr: number, len: number): string;
}

/** The `v8r_guest` imports of one program, and how to stop listening. */
export interface DomainProgramChannel {
  /** The import modules to give the program. */
  readonly imports: { readonly v8r_guest: Readonly<Record<string, ProgramImport>> };
  /** Stop taking control messages (the program ended). */
  close(): void;
}

/**
 * The `v8r_guest` imports of a program on `ctx`: `host` reaches the program's
 * (valid once it runs), `wake` ends its current wait.
 *
 * @example
 * ```ts
 * const channel = domainProgramChannel(ctx, host, () => run.ring());
 * ```
 */
export function domainProgramChannel(ctx: Pick<DomainContext, "publish" | "onControl">, host: ProgramMemory, wake: () => void): DomainProgramChannel {
  const encoder = new TextEncoder();
  const queue: Uint8Array[] = [];
  const off = ctx.onControl((message) => {
    let json: string | undefined;
    try {
      json = JSON.stringify(message);
    } catch {
      return; // not representable as JSON: nothing a program could read
    }
    if (json === undefined) return;
    if (queue.length >= MAX_QUEUED) queue.shift();
    queue.push(encoder.encode(json));
    wake();
  });
  const publish = (ptr: number, len: number): number => {
    let event: unknown;
    try {
      event = JSON.parse(host.text(ptr, len));
    } catch {
      return -1;
    }
    if (typeof event !== "object" || event === null || Array.isArray(event) || typeof (event as { type?: unknown }).type !== "string") return -1;
    try {
      ctx.publish(event as GuestEvent);
    } catch {
      // the trace bus is best effort
    }
    return 0;
  };
  const control = (buf: number, cap: number): number => {
    const next = queue.shift();
    if (next === undefined) return 0;
    if (next.byteLength > cap >>> 0) return -1;
    new Uint8Array(host.memory().buffer, buf >>> 0, next.byteLength).set(next);
    return next.byteLength;
  };
  return { imports: { v8r_guest: { publish, control } }, close: off };
}
