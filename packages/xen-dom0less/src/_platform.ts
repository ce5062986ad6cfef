/**
 * Internal: which kind of Xen a configuration is for. Xen for Armv8-R (an MPU build: no MMU for
 * stage 2) has rules an Armv8-A (MMU) build does not have, and the other way round.
 */
import { findNode, getProperty, propertyStrings, type DeviceTree } from "./device-tree.ts";
import type { Dom0lessConfig } from "./dom0less-config.ts";

/** The Arm profile Xen runs on: `armv8-a` (MMU build) or `armv8-r` (MPU build, e.g. FVP_BaseR_AEMv8R). */
export type XenArch = "armv8-a" | "armv8-r";

/** What the linter assumes, and why. */
export interface ArchChoice {
  readonly arch: XenArch;
  /** Why, for messages: "the platform option", "the root node's compatible", ... */
  readonly why: string;
}

const ARMV8R = /aemv8r|armv8-?r|cortex-r52|cortex-r82/i;

function strings(tree: DeviceTree, path: string, prop: string): string[] {
  const node = findNode(tree, path);
  const p = node === undefined ? undefined : getProperty(node, prop);
  return (p === undefined ? undefined : propertyStrings(p)) ?? [];
}

/**
 * The profile to lint for: `given` when set, else what the tree says: an Armv8-R root
 * `compatible`/`model` or CPU (`aemv8r`, `armv8r`, `cortex-r52`, `cortex-r82`) means Armv8-R, another
 * root compatible means Armv8-A; with no hint, `v8r_el1_msa` on a domain means Armv8-R (only MPU
 * builds read it), else Armv8-A.
 */
export function chooseArch(tree: DeviceTree, config: Dom0lessConfig, given: XenArch | undefined): ArchChoice {
  if (given !== undefined) return { arch: given, why: "the lint options" };
  const root = [...strings(tree, "/", "compatible"), ...strings(tree, "/", "model")];
  const cpus = (findNode(tree, "/cpus")?.children ?? []).flatMap((c) => strings(tree, c.path, "compatible"));
  const r = [...root, ...cpus].find((s) => ARMV8R.test(s));
  if (r !== undefined) return { arch: "armv8-r", why: `the tree says "${r}"` };
  const a = strings(tree, "/", "compatible")[0];
  if (a !== undefined) return { arch: "armv8-a", why: `the root compatible is "${a}"` };
  if (config.domains.some((d) => d.v8rEl1Msa !== undefined)) return { arch: "armv8-r", why: "a domain has v8r_el1_msa" };
  return { arch: "armv8-a", why: "nothing in the tree names an Armv8-R platform" };
}
