// End to end chaos: a seeded fault plan under --virtual-time, and what must
// still hold afterwards, with each app set (`--apps ts` and `--apps c`).
//
// The recovery rules checked (from the rpmsg-demo protocol and rpmsg-host's
// link policy):
// 1. Order and uniqueness: within one boot id, the samples Linux accepted
//    have strictly increasing seq (no duplicate, nothing out of order).
// 2. Nothing vanishes silently: within one boot, every seq from 0 to the
//    last received one is either received or counted in `lost`; Linux counts
//    a lost sample only where Zephyr's bounded queue overflowed while the
//    link was down, so `lost` never exceeds Zephyr's own `dr` (with this
//    plan's short outages the queue never overflows: both are 0).
// 3. A Zephyr crash is a new boot: a new boot id whose seq starts at 0 again
//    (samples queued before the link came back arrive late, in order), and
//    it is counted as a restart.
// 4. Liveness: dropped event notifications delay deliveries but never stall
//    the link (the RPMsg backends also look at the rings periodically):
//    samples keep arriving until the end of the run.
// 5. Linux is never hurt: it boots once, is never crashed or restarted.
import { beforeAll, describe, expect, it } from "vitest";
import { readStatus, runDemoToEnd, type StatusJson } from "./_spawn-demo.ts";

type Run = Awaited<ReturnType<typeof runDemoToEnd>>;

const PLAN = "drop=30%,corrupt@40s,crash:zephyr@100s";
const DURATION_MS = 180_000;

/** Rules 1 and 2 on the history Linux kept; returns the seqs per boot. */
function checkOrder(json: StatusJson): Map<string, number[]> {
  const byBoot = new Map<string, number[]>();
  for (const h of json.history ?? []) {
    const list = byBoot.get(h.boot) ?? [];
    list.push(h.seq);
    byBoot.set(h.boot, list);
  }
  for (const [boot, seqs] of byBoot) {
    seqs.forEach((seq, i) => {
      if (i > 0) expect(seq, `boot ${boot}: seq ${seq} after ${seqs[i - 1]}`).toBeGreaterThan(seqs[i - 1] as number);
    });
  }
  return byBoot;
}

describe.each(["ts", "c"])(`v8r-demo --apps %s --virtual-time --faults ${PLAN}, end to end`, (apps) => {
  let run: Run;
  let again: Run;
  let json: StatusJson;
  let html: string;

  beforeAll(async () => {
    const args = ["--apps", apps, "--virtual-time", "--duration", "3m", "--seed", "1", "--server", "none", "--faults", PLAN];
    [run, again] = await Promise.all([runDemoToEnd(args), runDemoToEnd(args)]);
    ({ json, html } = readStatus(run.rootfs));
  }, 120_000);

  it("prints the same consoles and summary when run again with the same seed (regression: boot lines swapped)", () => {
    const out = (r: Run): string => r.stdout.replaceAll(r.rootfs, "<rootfs>");
    expect(out(again)).toBe(out(run));
    expect(readStatus(again.rootfs).jsonText).toBe(readStatus(run.rootfs).jsonText);
  });

  it("completes (exit 0) and the crash and the corruption happened", () => {
    expect(run.exit, run.stdout.slice(-3000) + run.stderr).toEqual({ code: 0, signal: null });
    expect(run.stdout.match(/\(XEN\) Domain 1 \(vcpu#0\) crashed on cpu#0:\n(.*\n)?.*\(XEN\) d1v0: fault injection\n/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/fault at 40s: corrupting 32 bytes of shm "rpmsg-shm" at offset 0x[0-9a-f]+\n/);
    expect(run.stdout).toContain("fault at 1m40s: crashing zephyr\n");
    const dropped = Number(/injected delivery faults: (\d+) drop\n/.exec(run.stdout)?.[1]);
    expect(dropped).toBeGreaterThan(10);
    expect(run.stdout.match(/\*\*\* Booting rpmsg-host/g)).toHaveLength(2);
  });

  it("keeps each boot's samples in order, without duplicates, and accounts for every seq (rules 1, 2)", () => {
    const byBoot = checkOrder(json);
    expect(json.history).toHaveLength(json.counters.received);
    let gaps = 0;
    for (const b of json.boots) {
      const seqs = byBoot.get(b.boot) ?? [];
      expect(seqs.length).toBe(b.samples);
      expect(b.firstSeq).toBe(0);
      gaps += b.lastSeq + 1 - b.samples;
    }
    expect(json.counters.lost).toBe(gaps);
    expect(json.counters.lost).toBeLessThanOrEqual(json.ipc.dr);
    expect(json.counters).toMatchObject({ lost: 0, malformed: 0, stale: 0 });
    expect(json.boots.reduce((n, b) => n + b.samples, 0)).toBe(json.counters.received);
  });

  it("sees the crash as one restart with a new boot id starting at seq 0 (rule 3)", () => {
    expect(json.counters.restarts).toBe(1);
    expect(json.boots).toHaveLength(2);
    const [first, second] = json.boots;
    expect(first?.boot).not.toBe(second?.boot);
    // the first boot sent every sample up to the crash at 100 s (one per second from t = 1 s)
    expect(first?.lastSeq).toBe(98);
    expect(second?.firstSeq).toBe(0);
  });

  it("keeps delivering until the end of the run despite 30 % dropped notifications (rule 4)", () => {
    const last = (json.history ?? []).at(-1);
    expect(last?.boot).toBe(json.boots[1]?.boot);
    expect(last?.receivedMs).toBeGreaterThan(DURATION_MS - 3_000);
  });

  it("never crashes or restarts Linux (rule 5)", () => {
    expect(run.stdout.match(/Booting Linux on physical CPU/g)).toHaveLength(1);
    expect(run.stdout).not.toMatch(/\(XEN\) Domain 2 .*crashed/);
    expect(run.stdout).not.toMatch(/Starting d2 \(linux\)[\s\S]*Starting d2 \(linux\)/);
  });

  it("shows the restart and the counted losses on the page", () => {
    expect(html).toMatch(/<dt>Zephyr restarts seen<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Lost samples<\/dt><dd>0<\/dd>/);
    expect(html).toContain(`boot ${json.boots[1]?.boot}`);
    expect(run.stdout).toContain(`Linux received ${json.counters.received} samples, lost 0, rejected 0 malformed; Zephyr restarted 1 time(s)`);
  });
});

describe.each(["ts", "c"])("v8r-demo --apps %s --virtual-time --faults drop=100% (regression: every doorbell lost)", (apps) => {
  it("still binds and delivers every sample, through the backends' ring poll", async () => {
    const run = await runDemoToEnd(["--apps", apps, "--virtual-time", "--duration", "1m", "--seed", "2", "--server", "none", "--faults", "drop=100%"]);
    expect(run.exit, run.stdout.slice(-2000) + run.stderr).toEqual({ code: 0, signal: null });
    const { json } = readStatus(run.rootfs);
    expect(json.counters).toMatchObject({ lost: 0, restarts: 0 });
    expect(json.counters.received).toBeGreaterThanOrEqual(58);
    checkOrder(json);
  }, 60_000);
});
