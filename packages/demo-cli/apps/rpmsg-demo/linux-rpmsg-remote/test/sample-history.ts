/** Test fixture: a realistic, deterministic status history (gap, restart, threads). */
import type { StatusSample } from "../../protocol/mod.ts";
import { StatusHistory } from "../status-history.ts";

/** Options of {@link buildSampleHistory}. */
export interface SampleHistoryOptions {
  readonly samples?: number;
  readonly threadNames?: readonly string[];
}

const DEFAULT_THREADS = ["rpmsg_host", "sysworkq", "logging", "idle", "main"];

/** A history of `samples` 1 Hz samples with a 3-sample gap (samples Zephyr dropped) and one Zephyr restart; returns it with the time of the last one. */
export function buildSampleHistory(options: SampleHistoryOptions = {}): { history: StatusHistory; lastMs: number } {
  const total = options.samples ?? 180;
  const names = options.threadNames ?? DEFAULT_THREADS;
  const history = new StatusHistory();
  history.setLinkState("bound");
  let boot = "1a2b3c4d";
  let seq = 0;
  let t = 1200;
  let received = 50_000;
  const restartAt = Math.floor(total * 0.7);
  const gapAt = Math.floor(total * 0.35);
  for (let i = 0; i < total; i++) {
    if (i === gapAt) {
      seq += 3; // three samples lost
      t += 3000;
      received += 3000;
    }
    if (i === restartAt) {
      boot = "9f8e7d6c";
      seq = 0;
      t = 1100;
    }
    const cpu = Math.round((22 + 14 * Math.sin(i / 9) + 9 * Math.sin(i / 2.3) + (i % 7)) * 10) / 10;
    const thr = names.map((name, k) => [name, k === 0 ? "running" : k === 3 ? "ready" : "pending", Math.round((cpu / (k + 2)) * 10) / 10] as const);
    const sample: StatusSample = {
      v: 1, seq, boot, t, cpu: Math.max(0, Math.min(100, cpu)),
      thr: thr.map(([name, state, c]) => ({ name, state, cpu: c })),
      heap: { used: 6144 + (i % 11) * 256, free: 26_624 - (i % 11) * 256 },
      // Zephyr's dr explains the gap: the three samples were dropped by Zephyr (1 before, in an earlier stretch)
      ipc: { tx: seq + 1, rt: i > 40 ? 2 : 0, ri: i >= restartAt ? 0 : 1, dr: i < gapAt ? 1 : 4, q: 0 },
      per: 1000,
    };
    history.add(sample, received);
    seq++;
    t += 1000;
    received += 1000;
  }
  return { history, lastMs: received - 1000 };
}
