// The closing summary of a run, from whoever outlived what it counts: Xen
// counts each domain's crashes and restarts (a guest's own counters reset
// with it), Linux's counters come from its last report (they survive a
// Linux restart in its root filesystem).
import type { DomainRecord } from "@v8r/xen-dom0less";
import type { HistoryCounters } from "../apps/rpmsg-demo/linux-rpmsg-remote/mod.ts";
import type { StatusSample } from "../apps/rpmsg-demo/protocol/mod.ts";

/** What a summary is made of. */
export interface SummaryInput {
  /** Linux's totals, from its last report; undefined when it reported nothing. */
  readonly counters: HistoryCounters | undefined;
  /** The latest sample Linux accepted. */
  readonly latest: StatusSample | null;
  /** Xen's record of every domain (destroyed ones too). */
  readonly domains: readonly DomainRecord[];
  /** The domain running rpmsg-host (Zephyr), when there is one. */
  readonly hostDomain: string | undefined;
  /** Injected delivery faults by kind. */
  readonly sendFaults: ReadonlyMap<string, number>;
  /** Path of the final status page. */
  readonly page: string;
}

/**
 * The summary lines, and the number of samples Linux received (a run with
 * none failed).
 * @example
 * ```ts
 * summaryLines({ counters, latest, domains: xen.records(), hostDomain: "zephyr", sendFaults, page }).lines;
 * // ["Linux received 58 samples, lost 0, rejected 0 malformed; Zephyr restarted 1 time(s)", "Xen: zephyr (d1) running, 1 restart, 1 crash; linux (d2) running, 1 restart, 0 crashes", ...]
 * ```
 */
export function summaryLines(input: SummaryInput): { samples: number; lines: string[] } {
  const c = input.counters;
  const host = input.domains.find((d) => d.name === input.hostDomain);
  const xen = `Xen: ${input.domains.map((d) => `${d.name} (d${d.domid}) ${d.state}, ${plural(d.restarts, "restart")}, ${plural(d.crashes, "crash", "crashes")}`).join("; ")}`;
  if (c === undefined) return { samples: 0, lines: [`Linux received no sample; the status page (${input.page}) has none`, xen] };
  const latest = input.latest;
  const lines = [
    `Linux received ${c.received} samples, lost ${c.lost}, rejected ${c.malformed} malformed; Zephyr restarted ${host?.restarts ?? c.restarts} time(s)`,
    xen,
    ...(latest === null ? [] : [`latest sample: seq ${latest.seq} of boot ${latest.boot} at Zephyr uptime ${latest.t} ms`]),
    ...(input.sendFaults.size === 0 ? [] : [`injected delivery faults: ${[...input.sendFaults].map(([k, n]) => `${n} ${k}`).join(", ")}`]),
    `final status page: ${input.page}`,
  ];
  return { samples: c.received, lines };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
