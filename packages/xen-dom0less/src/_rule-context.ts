/** Internal: what every lint rule is given. */
import { findNode, type DeviceTree, type DtNode } from "./device-tree.ts";
import type { Dom0lessConfig } from "./dom0less-config.ts";
import type { DiagnosticSink } from "./_diag.ts";
import type { ArchChoice } from "./_platform.ts";

/** The tree, its configuration and the lint options, for the rules. */
export interface RuleContext {
  readonly tree: DeviceTree;
  readonly config: Dom0lessConfig;
  readonly sink: DiagnosticSink;
  /** Physical CPUs of the platform. */
  readonly platformCpus: number;
  /** The Arm profile Xen is built for, and why the linter assumes it. */
  readonly arch: ArchChoice;
  /** The node at `path` (memoized). */
  node(path: string): DtNode | undefined;
}

/** Makes a {@link RuleContext}. */
export function ruleContext(tree: DeviceTree, config: Dom0lessConfig, sink: DiagnosticSink, platformCpus: number, arch: ArchChoice): RuleContext {
  const cache = new Map<string, DtNode | undefined>();
  return {
    tree,
    config,
    sink,
    platformCpus,
    arch,
    node(path) {
      if (!cache.has(path)) cache.set(path, findNode(tree, path));
      return cache.get(path);
    },
  };
}
