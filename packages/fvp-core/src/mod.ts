/**
 * The emulated Arm FVP_BaseR_AEMv8R platform of v8r: a sparse physical
 * address space backed by SharedArrayBuffers with bounds-checked windows,
 * real and virtual clocks, a trace bus, a GICv3-flavoured interrupt
 * controller, CPUs with load accounting, inline and Worker executors for
 * guest images, and PL011-flavoured UARTs. Web-standard APIs only; Node
 * adapters live in `@v8r/fvp-core/node`.
 *
 * @example
 * ```ts
 * import { createPlatform, FVP_BaseR_AEMv8R, VirtualClock } from "@v8r/fvp-core";
 * const clock = new VirtualClock();
 * const platform = createPlatform(FVP_BaseR_AEMv8R, { clock });
 * platform.memory.map({ base: 0x7fe0_0000, size: 0x1000, name: "shm" });
 * const w = platform.memory.window(0x7fe0_0000, 0x1000);
 * w.storeRelease16(0, 1);
 * clock.setTimeout(() => console.log(w.loadAcquire16(0)), 10);
 * clock.advanceTo(10); // prints 1
 * ```
 *
 * @module
 */
export { MemoryWindow, type WindowDescriptor } from "./memory-window.ts";
export { type AddressRange, type MapOptions, type MemoryRegion, PhysicalMemory, type PhysicalMemoryOptions } from "./physical-memory.ts";
export type { Clock, TimerHandle } from "./clock.ts";
export { RealClock, type RealClockOptions } from "./real-clock.ts";
export { type RunLimits, VirtualClock, type VirtualClockOptions } from "./virtual-clock.ts";
export { type AnyTraceEvent, type FvpTraceEvent, RemoteTraceSink, TraceBus, type TraceBusOptions, type TraceEventOf, type TraceHub, type TraceSink } from "./trace-bus.ts";
export {
  DEFAULT_PRIORITY,
  DISPATCH_BUDGET,
  type GicDescriptor,
  type GicOptions,
  InterruptController,
  type IrqCount,
  type IrqHandler,
  IrqRange,
  type WakeWord,
} from "./interrupt-controller.ts";
export { Cpu, type CpuDescriptor, type CpuHandle, type CpuOptions, type CpuStats } from "./cpu.ts";
export { MemorySink, PrefixSink, Uart, type UartAttachOptions, type UartOptions, type UartSink } from "./uart.ts";
export type { ControlPort, Executor, GuestEnv, GuestExit, GuestHandle, GuestHost, GuestIrq, GuestSpec } from "./executor.ts";
export { describeError, GuestError, GuestErrorCode, type GuestErrorCodeName } from "./guest-error.ts";
export { InlineExecutor } from "./inline-executor.ts";
export {
  type WorkerEventLike,
  WorkerExecutor,
  type WorkerExecutorOptions,
  type WorkerFactory,
  type WorkerFactoryOptions,
  type WorkerLike,
} from "./worker-executor.ts";
export { FVP_BaseR_AEMv8R, type PlatformModel, type UartModel } from "./platform-model.ts";
export { type AnyPlatform, createPlatform, type Platform, type PlatformOptions } from "./platform.ts";
