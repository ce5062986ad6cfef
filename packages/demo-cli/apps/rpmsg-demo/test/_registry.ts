/** Test helper: what each domain of a test system runs, keyed by the `test_system=` bootarg. */
import { type DomainContext, parseBootargs } from "@v8r/xen-dom0less";

/** A domain's program: gets its context, returns what the test may look at (an app object). */
export type GuestMain = (ctx: DomainContext) => Promise<unknown>;

/** One system's domains: their mains, and each domain's latest context and result. */
export interface Registration {
  readonly mains: Readonly<Record<string, GuestMain>>;
  readonly ctx: Record<string, DomainContext>;
  readonly apps: Record<string, unknown>;
}

const systems = new Map<string, Registration>();
let next = 1;

/** Register a system; returns its key (pass it as `test_system=KEY` in every domain's bootargs). */
export function register(mains: Readonly<Record<string, GuestMain>>): { key: string; registration: Registration } {
  const key = String(next++);
  const registration: Registration = { mains, ctx: {}, apps: {} };
  systems.set(key, registration);
  return { key, registration };
}

/** Forget a system. */
export function unregister(key: string): void {
  systems.delete(key);
}

/** Run the registered main of `ctx`'s domain (a restarted domain runs it again). */
export async function runRegistered(ctx: DomainContext): Promise<void> {
  const key = parseBootargs(ctx.bootargs).get("test_system") ?? "";
  const registration = systems.get(key);
  const main = registration?.mains[ctx.name];
  if (registration === undefined || main === undefined) throw new Error(`[test] no main registered for ${ctx.name} of system ${key}`);
  registration.ctx[ctx.name] = ctx;
  registration.apps[ctx.name] = await main(ctx);
}
