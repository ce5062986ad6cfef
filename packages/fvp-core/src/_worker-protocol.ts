/** Internal: messages between the WorkerExecutor (host) and guest-worker.ts. */
import type { CpuDescriptor } from "./cpu.ts";
import type { GicDescriptor } from "./interrupt-controller.ts";
import type { AnyTraceEvent } from "./trace-bus.ts";

/** Host -> worker. */
export type ToWorker =
  | {
      t: "start";
      name: string;
      image: string;
      runtime?: string | undefined;
      init: unknown;
      origin: number;
      clockKind: "real" | "virtual";
      gic: GicDescriptor;
      cpus: CpuDescriptor[];
      traceFlag: Int32Array;
    }
  | { t: "input"; bytes: Uint8Array }
  | { t: "control"; msg: unknown }
  | { t: "stop"; reason?: string | undefined };

/** Worker -> host. */
export type FromWorker =
  | { t: "starting" }
  | { t: "ready" }
  | { t: "load-failed"; error: string; stack?: string; code: string }
  | { t: "console"; data: Uint8Array | string }
  | { t: "control"; msg: unknown }
  | { t: "trace"; event: AnyTraceEvent }
  | { t: "crashed"; error: string; stack?: string }
  | { t: "stopped" };
