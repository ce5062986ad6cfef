/**
 * Test guest "program": a stand-in guest OS that runs the domain's WASI
 * program (`ctx.program`) with runDomainProgram, without a WebAssembly
 * runner: its "program" reports what the domain gave it, waits for an event
 * (blocking with `idle` in worker mode, on the event otherwise), then exits
 * with `exit=N` from the bootargs, or fails as `fail=start|run` says.
 */
import type { DomainContext } from "../../src/domain-context.ts";
import { type DomainProgramEnv, type DomainProgramRun, runDomainProgram } from "../../src/domain-program.ts";
import { parseBootargs } from "../../src/bootargs.ts";


/** A fake program: reports its environment, then ends as the bootargs say after its first event. */
function fakeProgram(ctx: DomainContext, env: DomainProgramEnv): DomainProgramRun {
  const args = parseBootargs(ctx.bootargs);
  if (args.get("fail") === "start") throw new Error("[test] prog.wasm is not a WebAssembly module");
  ctx.publish({
    type: "program-env",
    args: [...env.args],
    program: ctx.program,
    regions: env.machine.regions.map((r) => ({ name: r.name, size: r.shm.size, physBase: r.physBase })),
    doorbells: [...env.machine.doorbells],
    blocking: env.idle !== undefined,
    watchdogMs: env.watchdogMs,
  });
  let ended = false;
  let end: (code: number) => void = () => {};
  let fail: (e: Error) => void = () => {};
  const exited = new Promise<{ code: number }>((resolve, reject) => {
    end = (code) => resolve({ code });
    fail = reject;
  });
  const finish = (): void => {
    if (ended) return;
    ended = true;
    ctx.publish({ type: "program-ring" });
    if (args.get("fail") === "run") fail(Object.assign(new Error("[test] prog.wasm trapped: unreachable"), { code: "trap" }));
    else end(Number(args.get("exit") ?? 0));
  };
  if (env.idle !== undefined) {
    // worker mode: block this thread until the event came (as a C program in platform_poll)
    let rang = false;
    const idle = env.idle;
    const wait = (): void => {
      while (!rang && idle(1000)) {
        /* interrupts run in idle(); the event sets rang */
      }
      finish();
    };
    ctx.clock.setTimeout(wait, 0);
    return { exited, ring: () => (rang = true), stop: () => fail(Object.assign(new Error("stopped"), { code: "stopped" })) };
  }
  return { exited, ring: finish, stop: () => fail(Object.assign(new Error("stopped"), { code: "stopped" })) };
}

export async function start(ctx: DomainContext): Promise<void> {
  await runDomainProgram(ctx, (env) => fakeProgram(ctx, env));
}
