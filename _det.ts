import { runVirtual } from "./packages/demo-cli/test/_virtual-system.ts";
const spec = { seed: 5018, periodMs: 100, durationMs: 24_000, faults: "delay=0.5:200ms,corrupt:rpmsg-shm/vring1.desc:1@3259ms" };
const a = await runVirtual(spec);
for (let i = 0; i < 4; i++) {
  const b = await runVirtual(spec);
  if (b.digest === a.digest) { console.log("same"); continue; }
  for (const k of ["console", "trace"] as const) {
    const n = Math.max(a[k].length, b[k].length);
    for (let j = 0; j < n; j++) if (a[k][j] !== b[k][j]) { console.log(k, j, "\nA", a[k][j]?.slice(0, 300), "\nB", b[k][j]?.slice(0, 300)); break; }
  }
}
