import type { Clock } from "./clock.ts";
import type { Cpu, CpuHandle } from "./cpu.ts";
import type { InterruptController } from "./interrupt-controller.ts";
import type { AnyTraceEvent, TraceHub, TraceSink } from "./trace-bus.ts";
import type { Uart } from "./uart.ts";

/** What to run: a guest image (an ES module exporting `start(ctx)`) on some CPUs. */
export interface GuestSpec {
  /** Unique guest name, used in traces and errors. */
  name: string;
  /** Absolute URL of the image module, e.g. `new URL("./guest.ts", import.meta.url)`. */
  image: string | URL;
  /**
   * Optional module exporting `createContext(init, env)`, and optionally
   * `destroyContext(ctx, reason)`, called once when the guest stops (after
   * the image's `stop(ctx)`, reason as given to `stop`) or crashes (reason
   * `"crashed"`; in a Worker, which is terminated then, only its synchronous
   * part is sure to run). Without it `ctx` is `env` plus the fields of
   * `init` (and `ctx.init`).
   */
  runtime?: string | URL;
  /** Structured-cloneable data for the guest: descriptors (windows, with their SharedArrayBuffer), numbers, strings. */
  init?: unknown;
  /** Physical CPU indices the guest runs on (at least one). */
  cpus: number[];
  /** UART for the guest's console: a name or index (default: the UART with the index of `cpus[0]`, else UART 0). */
  uart?: string | number;
}

/** Messages between a guest and the host side. */
export interface ControlPort {
  /** Send a structured-cloneable message to the host side ({@link GuestHandle.onMessage}). */
  post(msg: unknown): void;
  /** Receive messages from the host side ({@link GuestHandle.post}); returns a function that stops receiving. */
  onMessage(cb: (msg: unknown) => void): () => void;
}

/** A guest's access to the interrupt controller; handlers run on the guest's CPU, accounted as busy. */
export interface GuestIrq {
  /** Handle `irq` on `cpu` (default: the guest's first CPU); returns a function that removes the handler. */
  on(irq: number, handler: (irq: number) => void, cpu?: number): () => void;
  /** Enable `irq` (on `cpu` for SGI/PPI; default the guest's first CPU). */
  enable(irq: number, cpu?: number): void;
  /** Disable `irq`. */
  disable(irq: number, cpu?: number): void;
  /** Make `irq` pending: SGI/PPI on `cpu`, an SPI on its target. */
  raise(irq: number, cpu?: number): void;
  /** Send SGI `sgi` to `cpu`. */
  sendSgi(sgi: number, cpu: number): void;
  /** Route SPI `irq` to `cpu`. */
  setTarget(irq: number, cpu: number): void;
  /** Whether `irq` is pending. */
  isPending(irq: number, cpu?: number): boolean;
}

/** Everything a guest gets from the platform; the same shape inline and in a Worker. */
export interface GuestEnv {
  /** The guest's name. */
  name: string;
  /** The platform clock; timers the guest sets are cancelled when it stops and their errors crash only it. */
  clock: Clock;
  /** The guest's CPUs, in `spec.cpus` order. */
  cpus: CpuHandle[];
  /** Write to the guest's UART. */
  console: (bytes: Uint8Array | string) => void;
  /** Receive input bytes from the guest's UART. */
  onInput(cb: (bytes: Uint8Array) => void): void;
  /** Messages to and from the host side. */
  control: ControlPort;
  /** Interrupt lines. */
  irq: GuestIrq;
  /** The platform trace bus (forwarded to the main thread in worker mode). */
  trace: TraceSink;
}

/** How a guest ended. */
export interface GuestExit {
  /** Final state. */
  state: "stopped" | "crashed";
  /** For a crash: the error message. */
  error?: string;
  /** For a crash: the stack, when known. */
  stack?: string;
}

/** Host-side handle of a running guest. */
export interface GuestHandle {
  /** The guest's name. */
  readonly name: string;
  /** Current state. */
  readonly state: "running" | "stopped" | "crashed";
  /** Stop the guest (its timers and handlers; the Worker in worker mode). Idempotent. */
  stop(reason?: string): Promise<void>;
  /** Resolves when the guest stopped or crashed. */
  readonly exited: Promise<GuestExit>;
  /** Send a structured-cloneable message to the guest's {@link ControlPort}. */
  post(msg: unknown): void;
  /** Receive the guest's control messages; returns a function that stops receiving. */
  onMessage(cb: (msg: unknown) => void): () => void;
}

/** What an executor needs from the platform. */
export interface GuestHost {
  /** The platform clock. */
  readonly clock: Clock;
  /** The interrupt controller. */
  readonly gic: InterruptController;
  /** All CPUs. */
  readonly cpus: readonly Cpu[];
  /** The trace bus (executors publish fvp-core's guest events and forward the guests' own). */
  readonly trace: TraceHub<AnyTraceEvent>;
  /** The UART a guest's console goes to. */
  uartFor(spec: GuestSpec): Uart;
}

/** Runs guest images: {@link InlineExecutor} (same thread) or {@link WorkerExecutor} (one Worker per guest). */
export interface Executor {
  /** Which kind. */
  readonly kind: "inline" | "worker";
  /** Load and start a guest; resolves once its `start(ctx)` has been called, rejects when loading fails. */
  start(spec: GuestSpec, platform: GuestHost): Promise<GuestHandle>;
}
