/**
 * The entry module of a guest Worker (loaded by {@link WorkerExecutor}): it
 * rebuilds the platform objects from descriptors and runs the guest with the
 * same code as the inline executor.
 *
 * @module
 */
import { runGuest, type RunningGuest } from "./_guest-runtime.ts";
import type { FromWorker, ToWorker } from "./_worker-protocol.ts";
import { Cpu } from "./cpu.ts";
import { describeError, GuestError } from "./guest-error.ts";
import { InterruptController } from "./interrupt-controller.ts";
import { RealClock } from "./real-clock.ts";
import { RemoteTraceSink } from "./trace-bus.ts";

interface WorkerScope {
  postMessage(msg: FromWorker): void;
  addEventListener(type: string, listener: (ev: { data?: unknown; error?: unknown; reason?: unknown; preventDefault?(): void }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
const post = (m: FromWorker): void => scope.postMessage(m);
let guest: RunningGuest | undefined;
let crashed = false;

function report(info: { error: string; stack?: string }): void {
  if (crashed) return;
  crashed = true;
  post({ t: "crashed", ...info });
}

function crash(e: unknown): void {
  report(describeError(e));
}

async function start(m: Extract<ToWorker, { t: "start" }>): Promise<void> {
  const clock = new RealClock({ origin: m.origin });
  const trace = new RemoteTraceSink(m.traceFlag, (event) => post({ t: "trace", event }));
  const gic = InterruptController.fromDescriptor(m.gic, { trace, onHandlerError: crash });
  try {
    guest = await runGuest({
      name: m.name,
      image: m.image,
      runtime: m.runtime,
      init: m.init,
      clock,
      cpus: m.cpus.map((d) => Cpu.fromDescriptor(d, clock)),
      gic,
      trace,
      console: (data) => post({ t: "console", data }),
      postControl: (msg) => post({ t: "control", msg }),
      starting: () => post({ t: "starting" }),
      crashed: report,
    });
    post({ t: "ready" });
  } catch (e) {
    const code = e instanceof GuestError ? e.code : "load-failed";
    post({ t: "load-failed", code, ...describeError(e) });
  }
}

scope.addEventListener("message", (ev) => {
  const m = ev.data as ToWorker;
  switch (m.t) {
    case "start":
      void start(m);
      break;
    case "input":
      guest?.input(m.bytes);
      break;
    case "control":
      guest?.control(m.msg);
      break;
    case "stop":
      void (guest?.stop(m.reason) ?? Promise.resolve()).then(() => post({ t: "stopped" }));
      break;
  }
});

for (const type of ["error", "unhandledrejection"]) {
  scope.addEventListener(type, (ev) => {
    ev.preventDefault?.();
    crash(ev.error ?? ev.reason);
  });
}
