// The demo apps in C next to the TypeScript ones (figures only, no
// pass/fail): wall time of `v8r-demo --apps c --virtual-time --duration 1h
// --seed 1` and of the same run with `--apps ts`, each a fresh process of
// the built CLI (`node packages/demo-cli/dist/cli.js`, as `npm run demo`
// and `npx v8r-demo` run it), alternating the two sets so a machine whose
// load changes over the runs weighs on both; the ratio C / TS (issue
// target: within 1.5x), and the CPU time of each (user + system of the
// process, less sensitive to other load than the wall time). The two sets
// do not do the same work: the TypeScript remote renders and writes its
// page in the background while the simulation runs on, and samples that
// arrive meanwhile join the next page (about 300 pages for 3,600 samples in
// one run, fewer when the host writes slowly); the C remote, a plain C
// program, renders each sample's page before it takes the next one (the
// virtual clock does not move while it runs, so every drained batch holds
// one sample), and Linux's page cache writes the files back in the
// background, a page rewritten while the previous one is on its way written
// once. So the C figure carries ten times the page rendering.
// Run: tsx packages/demo-cli/bench/apps-c.bench.ts [--quick]   (--quick: 10 minutes, one run each)
// The last stdout line is `BENCH_JSON {...}` for scripts/bench.mjs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleDistReason } from "../../../scripts/dist-freshness.mjs";
import { median, startDemo } from "./_bench-process.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const quick = process.argv.includes("--quick");
const DURATION = quick ? "10m" : "1h";
const RUNS = quick ? 1 : 3;
const TARGET_RATIO = 1.5;

interface Run {
  /** Command start to exit, s. */
  readonly wallS: number;
  /** The simulation alone, as the demo reports it on stderr, s. */
  readonly simS: number;
  /** User + system CPU time of the process, s (from /proc, Linux; NaN elsewhere). */
  readonly cpuS: number;
  readonly received: number;
}

/** One `--virtual-time` run of the app set to its end. */
async function run(apps: "ts" | "c"): Promise<Run> {
  const rootfs = mkdtempSync(join(tmpdir(), "v8r-bench-apps-"));
  try {
    const args = [join(root, "packages/demo-cli/dist/cli.js"), "--apps", apps, "--virtual-time", "--duration", DURATION, "--seed", "1", "--server", "none", "--rootfs", rootfs, "-q"];
    const p = startDemo(process.execPath, args, root);
    let cpuS = Number.NaN;
    const cpu = setInterval(() => (cpuS = processCpuS(p) ?? cpuS), 100);
    const code = await p.exited;
    clearInterval(cpu);
    const wallS = (performance.now() - p.startedAt) / 1000;
    if (code !== 0) throw new Error(`[bench] --apps ${apps} --virtual-time --duration ${DURATION} ended with ${code}\n${p.output().slice(-2000)}`);
    const simS = Number(/simulated \S+ in ([\d.]+) s of wall time/.exec(p.output())?.[1] ?? Number.NaN);
    const received = Number(/Linux received (\d+) samples/.exec(p.output())?.[1] ?? 0);
    return { wallS, simS, cpuS, received };
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

/** utime + stime of the demo's process so far, s (its Workers are threads of it). */
function processCpuS(p: { readonly pid?: number }): number | undefined {
  if (p.pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${p.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, USER_HZ 100 on Linux
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const stale = staleDistReason(root);
  if (stale !== undefined) throw new Error(`the built CLI is out of date (${stale}): run pnpm build, or run the benchmark through pnpm bench, which builds first`);
  const runs: Record<"ts" | "c", Run[]> = { ts: [], c: [] };
  const loadBefore = loadavg()[0] ?? Number.NaN;
  for (let i = 0; i < RUNS; i++) {
    for (const apps of ["ts", "c"] as const) {
      const r = await run(apps);
      runs[apps].push(r);
      console.error(`[bench] --apps ${apps}: ${r.wallS.toFixed(2)} s wall (simulation ${r.simS.toFixed(2)} s), ${r.cpuS.toFixed(2)} s CPU, ${r.received} samples; load average ${(loadavg()[0] ?? Number.NaN).toFixed(2)}`);
    }
  }
  const mid = (apps: "ts" | "c", key: keyof Run): number => median(runs[apps].map((r) => r[key]));
  const results = [
    ...(["ts", "c"] as const).map((apps) => ({
      name: `simulated ${DURATION} (--apps ${apps} --virtual-time --duration ${DURATION} --seed 1), built CLI`,
      value: Number(mid(apps, "wallS").toPrecision(6)),
      unit: "s",
      note: `command start to exit, median of ${RUNS}; the simulation alone ${runs[apps].map((r) => r.simS.toFixed(2)).join(" / ")} s; CPU ${runs[apps].map((r) => r.cpuS.toFixed(2)).join(" / ")} s; ${runs[apps][0]?.received ?? 0} samples`,
    })),
    {
      name: `C apps / TypeScript apps, simulated ${DURATION}, wall time`,
      value: Number((mid("c", "wallS") / mid("ts", "wallS")).toPrecision(4)),
      unit: "x",
      note: `target <= ${TARGET_RATIO}x; simulation alone ${(mid("c", "simS") / mid("ts", "simS")).toFixed(2)}x, CPU time ${(mid("c", "cpuS") / mid("ts", "cpuS")).toFixed(2)}x; 1-minute load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} after (a shared machine's load weighs on the wall times)`,
    },
  ];
  for (const r of results) console.log(`${r.name}: ${r.value} ${r.unit} (${r.note})`);
  console.log(`BENCH_JSON ${JSON.stringify({ package: "v8r-demo", results })}`);
}

await main();
