import { PREFIX } from "./_format.ts";
import type { Clock } from "./clock.ts";
import { Cpu, type CpuOptions } from "./cpu.ts";
import type { Executor, GuestHandle, GuestHost, GuestSpec } from "./executor.ts";
import { InlineExecutor } from "./inline-executor.ts";
import { InterruptController } from "./interrupt-controller.ts";
import { PhysicalMemory } from "./physical-memory.ts";
import type { PlatformModel } from "./platform-model.ts";
import { RealClock } from "./real-clock.ts";
import { type AnyTraceEvent, type FvpTraceEvent, TraceBus, type TraceHub } from "./trace-bus.ts";
import { Uart } from "./uart.ts";

/** Options of {@link createPlatform}; `E`: the events other packages publish on its trace bus (see {@link Platform}). */
export interface PlatformOptions<E extends AnyTraceEvent = never> {
  /** Time source (default: a new {@link RealClock}). Guests on a VirtualClock must use the inline executor. */
  clock?: Clock;
  /** How guests run (default: a new {@link InlineExecutor}). */
  executor?: Executor;
  /** Trace bus to publish on (default: a new one). */
  trace?: TraceHub<FvpTraceEvent | E>;
  /** CPU load history settings. */
  cpu?: CpuOptions;
}

/**
 * A booted platform: memory, CPUs, interrupt controller, UARTs, trace bus
 * and the guests started on it. `E` is the union of the events that other
 * packages publish on its trace bus besides fvp-core's own (none by
 * default): the layer that creates the platform names the events of the
 * software it runs (e.g. `Platform<XenBusEvent<MyGuestEvent>>`), so its
 * trace listeners get their fields typed.
 */
export interface Platform<E extends AnyTraceEvent = never> extends GuestHost {
  /** The model it was built from. */
  readonly model: PlatformModel;
  /** Physical address space (mappings restricted to the model's memory banks). */
  readonly memory: PhysicalMemory;
  /** The platform clock. */
  readonly clock: Clock;
  /** The interrupt controller. */
  readonly gic: InterruptController;
  /** CPUs, by index. */
  readonly cpus: Cpu[];
  /** UARTs, by index. */
  readonly uarts: Uart[];
  /** Platform events: fvp-core's and `E`. */
  readonly trace: TraceHub<FvpTraceEvent | E>;
  /** How guests run. */
  readonly executor: Executor;
  /** The UART with this name or index; RangeError when there is none. */
  uart(which: string | number): Uart;
  /** Start a guest with the platform's executor. */
  startGuest(spec: GuestSpec): Promise<GuestHandle>;
  /** Guests started and not yet stopped or crashed. */
  guests(): readonly GuestHandle[];
  /** Stop every guest, flush and close the UARTs. */
  shutdown(): Promise<void>;
}

/** A platform whatever events its trace bus carries: what code that runs on any platform accepts. */
export type AnyPlatform = Platform<AnyTraceEvent>;

/**
 * Build a platform from a model. Memory is only backed where something is
 * mapped with `platform.memory.map(...)`.
 *
 * @example
 * ```ts
 * const platform = createPlatform(FVP_BaseR_AEMv8R, { clock: new VirtualClock() });
 * platform.memory.map({ base: 0x7fe0_0000, size: 0x10_0000, name: "shm" });
 * platform.uarts[0]?.attach(new PrefixSink((s) => console.log(s.trimEnd())));
 * ```
 */
export function createPlatform<E extends AnyTraceEvent = never>(model: PlatformModel, opts: PlatformOptions<E> = {}): Platform<E> {
  const clock = opts.clock ?? new RealClock();
  const executor = opts.executor ?? new InlineExecutor();
  if (clock.kind === "virtual" && executor.kind !== "inline") {
    throw new TypeError(`${PREFIX} creating platform ${model.name}: guests on a VirtualClock run inline only; use InlineExecutor or a RealClock`);
  }
  const trace = opts.trace ?? new TraceBus<FvpTraceEvent | E>();
  const memory = new PhysicalMemory({ allowed: model.memory, trace });
  const gic = new InterruptController({ cpus: model.cpus, spis: model.gic.spis, trace });
  const cpus = Array.from({ length: model.cpus }, (_, i) => new Cpu(i, clock, opts.cpu));
  const uarts = model.uarts.map((u) => new Uart({ ...u, trace, gic }));
  const running = new Set<GuestHandle>();
  const uart = (which: string | number): Uart => {
    const u = typeof which === "number" ? uarts[which] : uarts.find((x) => x.name === which);
    if (!u) throw new RangeError(`${PREFIX} looking up UART ${JSON.stringify(which)} on ${model.name}: it has ${uarts.map((x) => x.name).join(", ")}`);
    return u;
  };
  const platform: Platform<E> = {
    model,
    memory,
    clock,
    gic,
    cpus,
    uarts,
    trace,
    executor,
    uart,
    uartFor: (spec) => {
      const first = spec.cpus[0] ?? 0;
      return uart(spec.uart ?? (first < uarts.length ? first : 0));
    },
    async startGuest(spec) {
      if ([...running].some((g) => g.name === spec.name)) {
        throw new RangeError(`${PREFIX} starting guest "${spec.name}": a guest with that name is running`);
      }
      const handle = await executor.start(spec, platform);
      running.add(handle);
      void handle.exited.then(() => running.delete(handle));
      return handle;
    },
    guests: () => [...running].filter((g) => g.state === "running"),
    async shutdown() {
      await Promise.all([...running].map((g) => g.stop("platform shutdown")));
      await Promise.all(uarts.map((u) => u.close()));
    },
  };
  return platform;
}
