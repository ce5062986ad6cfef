// The stall watchdog ends the whole process, so each case runs in a child
// Node process of its own and checks how that process ended.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./_stall-watchdog.ts", import.meta.url));
const FVP_CORE = fileURLToPath(new URL("../../fvp-core/src/mod.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "v8r-stall-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `body` (a module's code, with `startStallWatchdog`, `Cpu` and `RealClock` imported) in a child Node process until it ends; `signal` is sent to it once its stderr says `ready`. */
function runChild(name: string, body: string, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const file = join(dir, `${name}.mts`);
  writeFileSync(file, `import { startStallWatchdog } from ${JSON.stringify(MODULE)};\nimport { Cpu, RealClock } from ${JSON.stringify(FVP_CORE)};\n${body}\n`);
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=source", file], { cwd: fileURLToPath(new URL("../", import.meta.url)), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let sent = false;
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (signal !== undefined && !sent && stderr.includes("ready\n")) sent = child.kill(signal);
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

describe("startStallWatchdog", () => {
  it("a thread stuck in a guest's busy slice: one line naming the guest on that CPU, then SIGKILL", async () => {
    const r = await runChild("stuck", `
const stall = startStallWatchdog({ stallMs: 1000, warn: (l) => console.error(l) });
const cpus = [new Cpu(0, new RealClock()), new Cpu(1, new RealClock())];
stall.watchCpus([{ buffer: cpus[0].buffer, domains: ["idle-one"] }, { buffer: cpus[1].buffer, domains: ["spinner"] }]);
setTimeout(() => cpus[1].busy(() => { for (;;); }), 200);`);
    expect(r.signal).toBe("SIGKILL");
    expect(r.stderr).toContain("[v8r-demo] stall watchdog: no progress for 1 s on the thread that runs the simulation; spinner was running and never gave the thread back (a loop that does not yield?); ending the process with SIGKILL\n");
  }, 60_000);

  it("a shutdown that never finishes (the event loop still turning): SIGKILL after the grace, the files the run leaves removed", async () => {
    const leftover = join(dir, "demo-1.json");
    writeFileSync(leftover, "{}");
    const r = await runChild("stopping", `
const stall = startStallWatchdog({ stallMs: 60_000, stopGraceMs: 1000, warn: (l) => console.error(l) });
stall.leaves(${JSON.stringify(leftover)});
stall.stopping();
setInterval(() => {}, 100);`);
    expect(r.signal).toBe("SIGKILL");
    expect(r.stderr).toContain("[v8r-demo] stall watchdog: the shutdown did not finish within 1 s; ending the process with SIGKILL\n");
    expect(existsSync(leftover)).toBe(false);
  }, 60_000);

  // the main thread's handler as the CLI's shutdown has it: the stop starts at once
  const handler = `process.on("SIGTERM", () => { stall.stopping(); setTimeout(() => process.exit(0), 300); });`;

  it("SIGTERM while the thread is stuck: the watchdog ends the process after its grace, long before the stall timeout", async () => {
    const started = performance.now();
    const r = await runChild("signal-stuck", `
const stall = startStallWatchdog({ stallMs: 120_000, warn: (l) => console.error(l) });
${handler}
setTimeout(() => { console.error("ready"); for (;;); }, 200);`, "SIGTERM");
    expect(r.signal, r.stderr).toBe("SIGKILL");
    expect(r.stderr).toContain("[v8r-demo] stall watchdog: SIGTERM came and the thread that runs the simulation did not act on it within 2 s (it is stuck); ending the process with SIGKILL\n");
    // a loaded machine may slow the start, never by the 120 s of the stall timeout
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it("SIGTERM to a thread that is free: its own handler stops the process, the watchdog does not step in", async () => {
    const r = await runChild("signal-free", `
const stall = startStallWatchdog({ stallMs: 120_000, warn: (l) => console.error(l) });
${handler}
setTimeout(() => console.error("ready"), 200);
setInterval(() => {}, 100);`, "SIGTERM");
    expect(r).toEqual({ code: 0, signal: null, stderr: "ready\n" });
  }, 60_000);

  it("does not keep the process alive, and a process that keeps making progress is left alone", async () => {
    const r = await runChild("progress", `
const stall = startStallWatchdog({ stallMs: 1000, warn: (l) => console.error(l) });
let n = 0;
const t = setInterval(() => { for (const end = Date.now() + 200; Date.now() < end;); if (++n === 15) clearInterval(t); }, 10);`);
    expect(r).toEqual({ code: 0, signal: null, stderr: "" });
  }, 60_000);
});
