// Driving a --virtual-time run: the simulated duration as fast as the host
// can go, a progress line, then a summary from the page Linux left. What
// reaches the console depends only on the seed, the configuration and the
// fault plan; the wall time goes to `io.timing` (stderr).
import type { VirtualClock } from "@v8r/fvp-core";
import { formatDuration } from "./duration.ts";
import { formatProgress } from "./banner.ts";
import type { DemoSession } from "./_demo-session.ts";
import type { DemoIo } from "./run-demo.ts";

/** What {@link driveVirtualTime} needs. */
export interface VirtualRun {
  readonly clock: VirtualClock;
  readonly durationMs: number;
  readonly io: DemoIo;
  readonly session: DemoSession;
  /** The summary when the run has its own verdict (WASI programs as applications); default the demo's. */
  readonly verdict?: () => { code: number; lines: string[] };
}

const STEPS = 100;

/**
 * Run the simulated `durationMs` in steps of 1 % with a progress line, then
 * print a summary. Resolves with the exit code: 0, or 1 when Linux never
 * received a sample (or, with a verdict, the verdict's code).
 */
export async function driveVirtualTime(run: VirtualRun): Promise<number> {
  const { clock, durationMs, io } = run;
  const started = performance.now();
  const start = clock.now();
  for (let i = 1; i <= STEPS; i++) {
    await clock.run(start + (durationMs * i) / STEPS);
    io.progress(formatProgress(clock.now() - start, durationMs));
  }
  io.progress("");
  const wallMs = performance.now() - started;
  const summary = run.verdict?.() ?? demoVerdict(run.session);
  io.timing?.(`[v8r-demo] simulated ${formatDuration(durationMs)} in ${(wallMs / 1000).toFixed(2)} s of wall time`);
  io.console.line("v8r", `simulated ${formatDuration(durationMs)}`);
  for (const line of summary.lines) io.console.line("v8r", line);
  return summary.code;
}

function demoVerdict(session: DemoSession): { code: number; lines: string[] } {
  const s = session.summary();
  return { code: s.samples > 0 ? 0 : 1, lines: s.lines };
}
