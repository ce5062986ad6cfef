// Driving a --virtual-time run: the simulated duration as fast as the host
// can go, a progress line, then a summary from the page Linux left. What
// reaches the console depends only on the seed, the configuration and the
// fault plan; the wall time goes to `io.timing` (stderr).
import type { VirtualClock } from "@v8r/fvp-core";
import { formatDuration } from "./duration.ts";
import { formatProgress } from "./banner.ts";
import type { DemoSession } from "./_demo-session.ts";
import { type AppsRun, endLine } from "./_apps-end.ts";
import type { DemoIo } from "./run-demo.ts";

/** What {@link driveVirtualTime} needs. */
export interface VirtualRun {
  readonly clock: VirtualClock;
  readonly durationMs: number;
  readonly io: DemoIo;
  readonly session: DemoSession;
  /** WASI programs as applications: the run ends early once no domain is left running, with their verdict (default: the demo's summary). */
  readonly apps?: Pick<AppsRun, "endedAt" | "verdict">;
}

const STEPS = 100;

/**
 * Run the simulated `durationMs` in steps of 1 % with a progress line, then
 * print a summary. Resolves with the exit code: 0, or 1 when Linux never
 * received a sample (or, with programs, their verdict's code). A run of
 * programs ends at the step where no domain is left running.
 */
export async function driveVirtualTime(run: VirtualRun): Promise<number> {
  const { clock, durationMs, io } = run;
  const started = performance.now();
  const start = clock.now();
  for (let i = 1; i <= STEPS; i++) {
    await clock.run(start + (durationMs * i) / STEPS);
    io.progress(formatProgress(clock.now() - start, durationMs));
    if (run.apps?.endedAt !== undefined) break;
  }
  io.progress("");
  const wallMs = performance.now() - started;
  const endedAt = run.apps?.endedAt;
  const simulated = endedAt === undefined ? durationMs : Math.max(0, Math.round(endedAt - start));
  const summary = run.apps?.verdict() ?? demoVerdict(run.session);
  io.timing?.(`[v8r-demo] simulated ${formatDuration(simulated)} in ${(wallMs / 1000).toFixed(2)} s of wall time`);
  if (endedAt !== undefined) io.console.line("v8r", endLine(endedAt));
  io.console.line("v8r", `simulated ${formatDuration(simulated)}`);
  for (const line of summary.lines) io.console.line("v8r", line);
  return summary.code;
}

function demoVerdict(session: DemoSession): { code: number; lines: string[] } {
  const s = session.summary();
  return { code: s.samples > 0 ? 0 : 1, lines: s.lines };
}
