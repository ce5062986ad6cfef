// The end of a run whose applications are WASI programs (`--app`, or a
// `.wasm` as `v8r,image`), the same in every mode: as on Xen, a domain whose
// program exited is shut down (status 0) or crashed (other statuses); once no
// domain is left running (each one shut down, crashed for good or
// destroyed), the run ends with one line per program and an exit code made
// from their exit statuses. What became of a program is made from every fact
// known about its domain's instance (its exit status, whether it crashed, its
// state now), in whatever order the events that told them came: a crash
// stays a crash when the domain is destroyed later (Ctrl-C). The lines are
// made when the last domain stops, so a fact must be in by then: a program's
// exit status is (its guest publishes it before asking for the shutdown that
// Xen carries out only once the instance stopped). No Node APIs.
import type { Dom0lessConfig, DomainRecord, Xen } from "@v8r/xen-dom0less";
import { crashPolicies, runsOwnProgram } from "./_demo-apps.ts";
import { formatDuration } from "./duration.ts";
import type { DemoPlatform } from "./trace-events.ts";

/** The end of a run: one line per program and the exit code. */
export interface AppsVerdict {
  /** 0, the first non-zero exit status of a program (in the device tree's order; 1 for one outside 1..255), or 1 for one that crashed otherwise or was destroyed. */
  readonly code: number;
  /** `zephyr: ping.wasm exited with status 0`, ... */
  readonly lines: string[];
}

/** What is known of a domain's current instance, from the events so far (any order). */
interface Instance {
  /** Its start count (the `generation` of its `xen-domain` events). */
  readonly generation: number;
  /** Its program's exit status, once its `program-exit` came. */
  exit?: number;
  /** It crashed (a destroy after it does not undo that). */
  crashed: boolean;
}

/** Watches the programs of a run: what became of each and whether any domain is left running. */
export class AppsRun {
  readonly #config: Dom0lessConfig;
  readonly #preserved: ReadonlySet<string>;
  readonly #instances = new Map<string, Instance>();
  #xen: Xen | undefined;
  #endedAt: number | undefined;
  #resolve: (atMs: number) => void = () => {};
  /** Resolves with the platform time at which the last domain stopped. */
  readonly ended: Promise<number>;

  /** Watch `platform`'s trace bus from now on (before Xen boots, so no exit is missed). */
  constructor(platform: DemoPlatform, config: Dom0lessConfig) {
    this.#config = config;
    this.#preserved = new Set(Object.entries(crashPolicies(config)).filter(([, p]) => p === "preserve").map(([name]) => name));
    this.ended = new Promise((resolve) => (this.#resolve = resolve));
    platform.trace.on((e) => {
      if (e.type === "program-exit") this.#instance(e.domain).exit = e.code;
      else if (e.type === "xen-domain") {
        const instance = this.#instance(e.domain, e.generation);
        if (e.state === "crashed") instance.crashed = true;
        this.#check(e.atMs);
      }
    });
  }

  /** Whether `config` runs programs of the user's (then the run ends when its domains have). */
  static wanted(config: Dom0lessConfig): boolean {
    return config.domains.some(runsOwnProgram);
  }

  /** Read the domains' states from `xen` (booted, so every domain has one). */
  attach(xen: Xen, nowMs: number): void {
    this.#xen = xen;
    this.#check(nowMs);
  }

  /** The platform time at which the last domain stopped, once none is left running. */
  get endedAt(): number | undefined {
    return this.#endedAt;
  }

  /** The lines and exit code for the programs as they are now. */
  verdict(): AppsVerdict {
    const records = new Map((this.#xen?.records() ?? []).map((d) => [d.name, d]));
    let code = 0;
    const lines = this.#config.domains.filter(runsOwnProgram).map((d) => {
      const program = (d.kernel?.image ?? "").split("/").pop() ?? "";
      const { text, status } = describe(records.get(d.name)?.state, this.#instances.get(d.name));
      if (code === 0) code = status;
      return `${d.name}: ${program} ${text}`;
    });
    return { code, lines };
  }

  /**
   * The exit code of a run stopped by Ctrl-C or SIGTERM: that of the first
   * program (in the device tree's order) that had exited with a non-zero
   * status or crashed, by the rules of {@link verdict}; 0 when none had. A
   * program still running or destroyed (by the stop, or `xl destroy`) does
   * not count: it did not fail.
   */
  failureCode(): number {
    for (const d of this.#config.domains.filter(runsOwnProgram)) {
      const { status } = describe(undefined, this.#instances.get(d.name));
      if (status !== 0) return status;
    }
    return 0;
  }

  /** The facts about `domain`'s instance; a later `generation` (xl reboot, xl create, a restart) starts with none. */
  #instance(domain: string, generation?: number): Instance {
    const known = this.#instances.get(domain);
    if (known !== undefined && (generation === undefined || generation <= known.generation)) return known;
    const fresh: Instance = { generation: generation ?? 0, crashed: false };
    this.#instances.set(domain, fresh);
    return fresh;
  }

  #check(atMs: number): void {
    const xen = this.#xen;
    if (xen === undefined || this.#endedAt !== undefined) return;
    if (!xen.records().every((d) => this.#over(d))) return;
    this.#endedAt = atMs;
    this.#resolve(atMs);
  }

  /** Stopped for good: shut down, destroyed, or crashed where the policy keeps it crashed. */
  #over(d: DomainRecord): boolean {
    return d.state === "shutdown" || d.state === "destroyed" || (d.state === "crashed" && this.#preserved.has(d.name));
  }
}

/** What became of one program (its domain's `state` now, what is known of its instance), and the exit code it asks for. */
function describe(state: string | undefined, known: Instance | undefined): { text: string; status: number } {
  const exit = known?.exit;
  // a status a process cannot exit with (above 255; negative: C's exit(-1) reaches the host as -1) is a failure all the same
  if (exit !== undefined) return { text: `exited with status ${exit}`, status: exit === 0 ? 0 : exit >= 1 && exit <= 255 ? exit : 1 };
  if (known?.crashed === true) return { text: "crashed (see Xen's console)", status: 1 };
  switch (state) {
    case "shutdown":
      return { text: "was shut down", status: 0 };
    case "crashed":
      return { text: "crashed (see Xen's console)", status: 1 };
    case "destroyed":
      return { text: "was destroyed", status: 1 };
    case "running":
      return { text: "is still running", status: 0 };
    default:
      return { text: state === undefined ? "did not start" : `is ${state}`, status: 0 };
  }
}

/** The line that says why a run of programs ended, at platform time `atMs`. */
export function endLine(atMs: number): string {
  return `no domain is left running (the last one stopped at ${formatDuration(Math.max(0, Math.round(atMs)))} of platform time): the run ends`;
}

/** Print the end of a real-time run of programs (why it ended, one line per program); returns the exit code. */
export function reportAppsEnd(io: { readonly console: { line(source: string, text: string): void } }, apps: AppsRun, atMs: number): number {
  io.console.line("v8r", endLine(atMs));
  const verdict = apps.verdict();
  for (const line of verdict.lines) io.console.line("v8r", line);
  return verdict.code;
}
