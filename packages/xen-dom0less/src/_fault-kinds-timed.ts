/**
 * Internal: the registry entries of the timed faults (corrupt shared memory,
 * crash, restart, destroy or pause a domain), fired on the platform clock.
 */
import { FAULT_NAME, type FaultCheckTarget, type FaultRegion, type FaultSpecItem, type FaultTarget, type TimedFaultBase, type TimedFaultKind } from "./fault-kind.ts";

/** Overwrite bytes of static shm at a time. */
export interface CorruptFault extends TimedFaultBase {
  /** `"corrupt"`. */
  readonly kind: "corrupt";
  /** `xen,shm-id` of the region (default: every region). */
  readonly region?: string;
  /** A named range of the region (`BootXenOptions.shmRanges`), e.g. `"vring1"`; offsets are then relative to it. */
  readonly range?: string;
  /** First byte, from the start of the range or region (default 0). */
  readonly offset?: number;
  /** How many bytes (default: `bytes.length`, else the rest of the range, else 1). */
  readonly length?: number;
  /** The bytes to write; without them each byte is XORed with a random non-zero value. */
  readonly bytes?: readonly number[];
}

/** Crash a domain at a time (its `on_crash` policy applies). */
export interface CrashFault extends TimedFaultBase {
  /** `"crash"`. */
  readonly kind: "crash";
  /** Domain name. */
  readonly domain: string;
}

/** Restart a domain at a time. */
export interface RestartFault extends TimedFaultBase {
  /** `"restart"`. */
  readonly kind: "restart";
  /** Domain name. */
  readonly domain: string;
}

/** Destroy a domain at a time (it stays destroyed: nothing restarts it). */
export interface DestroyFault extends TimedFaultBase {
  /** `"destroy"`. */
  readonly kind: "destroy";
  /** Domain name. */
  readonly domain: string;
}

/** Hang a domain for a while: paused at a time, unpaused `ms` later (a peer that stops answering and comes back without a reset). */
export interface PauseFault extends TimedFaultBase {
  /** `"pause"`. */
  readonly kind: "pause";
  /** Domain name. */
  readonly domain: string;
  /** How long it stays paused, ms. */
  readonly ms: number;
}

/** Largest number of bytes one `corrupt` item of the text form may write. */
export const MAX_CORRUPT_BYTES = 65_536;

/** Where a corruption lands in one region: absolute offset and length, or why it cannot. */
function locate(f: CorruptFault, region: FaultRegion, target: FaultCheckTarget): { offset: number; length: number } | string {
  let base = 0;
  let span = region.size;
  if (f.range !== undefined) {
    const ranges = target.ranges(region.id);
    const r = ranges.find((x) => x.name === f.range);
    if (r === undefined) {
      const have = ranges.map((x) => x.name).join(", ") || "none are known";
      return `corrupt names range "${f.range}" of region "${region.id}", which has no such range (ranges: ${have})`;
    }
    base = r.offset;
    span = Math.min(r.size, region.size - r.offset);
  }
  const off = f.offset ?? 0;
  const len = f.length ?? f.bytes?.length ?? (f.range !== undefined ? span - off : 1);
  if (!(Number.isInteger(off) && Number.isInteger(len) && off >= 0 && len > 0 && off + len <= span)) {
    const where = f.range === undefined ? `its ${region.size} bytes` : `range "${f.range}" (${span} bytes)`;
    return `corrupt of "${region.id}" at offset ${off}, ${len} bytes, does not fit ${where}`;
  }
  return { offset: base + off, length: len };
}

function regionsOf(f: CorruptFault, target: FaultCheckTarget): readonly FaultRegion[] {
  const all = target.regions();
  return f.region === undefined ? all : all.filter((r) => r.id === f.region);
}

/** `corrupt[:REGION[/RANGE][:BYTES]]@TIME`. */
export const CORRUPT: TimedFaultKind<CorruptFault> = {
  name: "corrupt",
  aliases: [],
  when: "timed",
  syntax: "corrupt[:REGION[/PART][:BYTES]]@TIME",
  help: "write BYTES random bytes into PART of shm REGION at TIME",
  parse(item) {
    if (item.args.length > 2) item.fail("expected corrupt[:REGION[/PART][:BYTES]]@TIME");
    const [where, count] = item.args;
    const f: { -readonly [K in keyof CorruptFault]: CorruptFault[K] } = { kind: "corrupt", atMs: item.atMs };
    if (where !== undefined) {
      const [region = "", range, ...more] = where.split("/");
      if (!FAULT_NAME.test(region) || new TextEncoder().encode(region).length > 15) {
        item.fail(`"${region}" is not a shm id (1 to 15 characters: letters, digits, _ . -)`);
      }
      if (more.length > 0 || (range !== undefined && !FAULT_NAME.test(range))) item.fail(`"${where}" is not REGION or REGION/PART (e.g. rpmsg-shm/vring1.avail)`);
      f.region = region;
      if (range !== undefined) f.range = range;
    }
    if (count !== undefined) {
      const n = /^\d+$/.test(count) ? Number(count) : Number.NaN;
      if (!(n >= 1 && n <= MAX_CORRUPT_BYTES)) item.fail(`the byte count "${count}" must be a whole number from 1 to ${MAX_CORRUPT_BYTES}`);
      f.length = n;
    }
    return f;
  },
  format: (f) => `corrupt${f.region === undefined ? "" : `:${f.region}`}${f.range === undefined ? "" : `/${f.range}`}${f.length === undefined ? "" : `:${f.length}`}`,
  check(f, target) {
    const regions = regionsOf(f, target);
    if (f.region !== undefined && regions.length === 0) return `corrupt names region "${f.region}", which is not a static shm region`;
    for (const r of regions) {
      const spot = locate(f, r, target);
      if (typeof spot === "string") return spot;
    }
    if (f.bytes !== undefined && !f.bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return "corrupt bytes must be integers 0..255";
    return undefined;
  },
  fire(f, target, rng) {
    for (const region of regionsOf(f, target)) {
      const w = target.window(region.id);
      const spot = locate(f, region, target);
      if (w === undefined || typeof spot === "string") continue;
      for (let k = 0; k < spot.length; k++) {
        const given = f.bytes?.[k];
        const at = spot.offset + k;
        w.write8(at, given !== undefined ? given & 0xff : w.read8(at) ^ (1 + (rng.u32() % 255)));
      }
      target.emit("corrupt", { region: region.id, ...(f.range === undefined ? {} : { range: f.range }), offset: spot.offset, length: spot.length });
    }
  },
};

/** A fault on one domain at a time: `NAME:DOMAIN@TIME`, doing `act` to the domain. */
function domainKind<F extends CrashFault | RestartFault | DestroyFault>(name: F["kind"], help: string, act: (t: FaultTarget, domain: string) => Promise<void>): TimedFaultKind<F> {
  return {
    name,
    aliases: [],
    when: "timed",
    syntax: `${name}:DOMAIN@TIME`,
    help,
    parse(item: FaultSpecItem) {
      const [domain] = item.args;
      if (item.args.length !== 1 || domain === undefined || !FAULT_NAME.test(domain)) item.fail(`${name} needs one domain name: ${name}:DOMAIN@TIME`);
      return { kind: name, domain: domain as string, atMs: item.atMs } as F;
    },
    format: (f) => `${name}:${f.domain}`,
    check: (f, target) => (target.hasDomain(f.domain) ? undefined : `${name} names domain "${f.domain}", which is not in the configuration`),
    fire(f, target) {
      target.emit(name, { domain: f.domain });
      void act(target, f.domain).catch(() => {});
    },
  };
}

/** `crash:DOMAIN@TIME`. */
export const CRASH: TimedFaultKind<CrashFault> = domainKind<CrashFault>("crash", "crash DOMAIN at TIME (its on_crash policy applies)", (t, d) => t.crash(d, "fault injection"));

/** `restart:DOMAIN@TIME`. */
export const RESTART: TimedFaultKind<RestartFault> = domainKind<RestartFault>("restart", "restart DOMAIN at TIME", (t, d) => t.restart(d));

/** `destroy:DOMAIN@TIME`. */
export const DESTROY: TimedFaultKind<DestroyFault> = domainKind<DestroyFault>("destroy", "destroy DOMAIN at TIME (as xl destroy: it stays down)", (t, d) => t.destroy(d));

/** `pause:DOMAIN:TIME@AT`. */
export const PAUSE: TimedFaultKind<PauseFault> = {
  name: "pause",
  aliases: [],
  when: "timed",
  syntax: "pause:DOMAIN:TIME@AT",
  help: "pause DOMAIN at AT for TIME (a hung peer: nothing is reset)",
  parse(item) {
    const [domain, length] = item.args;
    if (item.args.length !== 2 || domain === undefined || length === undefined || !FAULT_NAME.test(domain)) item.fail("pause needs a domain and a length: pause:DOMAIN:TIME@AT");
    const ms = item.duration(length as string);
    if (!(ms > 0)) item.fail("the pause must be longer than 0ms");
    return { kind: "pause", domain: domain as string, ms, atMs: item.atMs };
  },
  format: (f, w) => `pause:${f.domain}:${w.duration(f.ms)}`,
  check(f, target) {
    if (!target.hasDomain(f.domain)) return `pause names domain "${f.domain}", which is not in the configuration`;
    return f.ms > 0 && Number.isFinite(f.ms) ? undefined : `pause ms ${String(f.ms)} must be a finite time over 0`;
  },
  fire(f, target) {
    target.emit("pause", { domain: f.domain, ms: f.ms });
    target.pause(f.domain);
    target.clock.setTimeout(() => {
      target.emit("unpause", { domain: f.domain });
      target.unpause(f.domain);
    }, f.ms);
  },
};
