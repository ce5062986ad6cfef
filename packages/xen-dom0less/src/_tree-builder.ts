import { ConfigError } from "./config-error.ts";
import type { SourceLocation } from "./diagnostic.ts";
import {
  createNode,
  getProperty,
  readU32,
  walkNodes,
  type DeviceTree,
  type DtMemoryReservation,
  type DtNode,
  type DtProperty,
  type DtReference,
} from "./device-tree.ts";
import type { ParsedValue, PendingRef } from "./_dts-values.ts";

/** Builds a tree while a .dts is parsed: merges redefinitions, tracks labels, resolves references at the end. */
export class TreeBuilder {
  readonly root: DtNode;
  readonly memoryReservations: DtMemoryReservation[] = [];
  readonly #labels = new Map<string, DtNode>();
  readonly #pending = new WeakMap<DtProperty, PendingRef[]>();
  /** Children of each node by full name, so that finding a child does not scan its siblings. */
  readonly #childIndex = new WeakMap<DtNode, Map<string, DtNode>>();
  /** Names of the properties each node has, so that a redefinition is found without a scan. */
  readonly #propertyNames = new WeakMap<DtNode, Set<string>>();

  /** Starts an empty tree; `loc` is where the root is first seen. */
  constructor(loc: SourceLocation) {
    this.root = createNode("", undefined, loc);
  }

  /** The child `fullName` of `parent`, created when it does not exist yet. */
  child(parent: DtNode, fullName: string, loc: SourceLocation): DtNode {
    const index = this.#children(parent);
    const existing = index.get(fullName);
    if (existing !== undefined) return existing;
    const node = createNode(fullName, parent.path, loc);
    parent.children.push(node);
    index.set(fullName, node);
    return node;
  }

  #children(parent: DtNode): Map<string, DtNode> {
    let index = this.#childIndex.get(parent);
    if (index === undefined) {
      index = new Map(parent.children.map((c) => [c.fullName, c]));
      this.#childIndex.set(parent, index);
    }
    return index;
  }

  /** Attaches `label` to `node`; a label already on another node is an error. */
  addLabel(node: DtNode, label: string, loc: SourceLocation): void {
    const other = this.#labels.get(label);
    if (other !== undefined && other !== node) {
      throw new ConfigError("duplicate-label", loc, `label ${label} is already on ${other.path} (line ${other.loc.line})`);
    }
    this.#labels.set(label, node);
    if (!node.labels.includes(label)) node.labels.push(label);
  }

  /** The node named by `&label` or `&{/path}`, or `undefined`. */
  lookup(target: string): DtNode | undefined {
    if (target.startsWith("/")) {
      let node: DtNode | undefined = this.root;
      for (const part of target.split("/").filter((p) => p.length > 0)) {
        node = this.#children(node).get(part);
        if (node === undefined) return undefined;
      }
      return node;
    }
    return this.#labels.get(target);
  }

  /** Defines (or redefines) a property. */
  setProperty(node: DtNode, name: string, value: ParsedValue, loc: SourceLocation): void {
    const prop: DtProperty = { name, value: value.bytes, refs: [], loc };
    this.#pending.set(prop, value.refs);
    let names = this.#propertyNames.get(node);
    if (names === undefined) {
      names = new Set(node.properties.map((p) => p.name));
      this.#propertyNames.set(node, names);
    }
    if (names.has(name)) node.properties[node.properties.findIndex((p) => p.name === name)] = prop;
    else {
      node.properties.push(prop);
      names.add(name);
    }
  }

  /** Removes a property if present. */
  deleteProperty(node: DtNode, name: string): void {
    node.properties = node.properties.filter((p) => p.name !== name);
    this.#propertyNames.get(node)?.delete(name);
  }

  /** Removes a child (and its labels) if present; returns whether it existed. */
  deleteChild(parent: DtNode, fullName: string): boolean {
    const index = this.#children(parent);
    const child = index.get(fullName);
    if (child === undefined) return false;
    parent.children = parent.children.filter((c) => c !== child);
    index.delete(fullName);
    walkNodes(child, (n) => {
      for (const l of n.labels) if (this.#labels.get(l) === n) this.#labels.delete(l);
    });
    return true;
  }

  /** Deletes `node` from its parent (the root cannot be deleted). */
  deleteNode(node: DtNode, loc: SourceLocation): void {
    if (node === this.root) throw new ConfigError("syntax", loc, "the root node cannot be deleted");
    const parentPath = node.path.slice(0, node.path.lastIndexOf("/")) || "/";
    const parent = this.lookup(parentPath);
    if (parent !== undefined) this.deleteChild(parent, node.fullName);
  }

  /** Resolves every reference, gives referenced nodes a `phandle`, and returns the finished tree. */
  finish(file: string): DeviceTree {
    const used = new Set<number>();
    walkNodes(this.root, (n) => {
      for (const p of n.properties) {
        if ((p.name === "phandle" || p.name === "linux,phandle") && p.value.length === 4) used.add(readU32(p.value, 0));
      }
    });
    let nextPhandle = 1;
    const phandleOf = (node: DtNode): number => {
      const existing = getProperty(node, "phandle") ?? getProperty(node, "linux,phandle");
      if (existing !== undefined && existing.value.length === 4) return readU32(existing.value, 0);
      while (used.has(nextPhandle)) nextPhandle++;
      const v = nextPhandle;
      used.add(v);
      const bytes = Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
      node.properties.push({ name: "phandle", value: bytes, refs: [], loc: node.loc });
      return v;
    };
    walkNodes(this.root, (n) => {
      for (const p of [...n.properties]) this.#resolve(p, phandleOf);
    });
    return { root: this.root, file, format: "dts", memoryReservations: this.memoryReservations };
  }

  #resolve(prop: DtProperty, phandleOf: (n: DtNode) => number): void {
    const pending = this.#pending.get(prop) ?? [];
    if (pending.length === 0) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    const push = (bytes: Uint8Array): void => {
      parts.push(bytes);
      size += bytes.length;
    };
    const refs: DtReference[] = [];
    let from = 0;
    for (const r of pending) {
      const target = this.lookup(r.target);
      push(prop.value.subarray(from, r.offset));
      const offset = size;
      if (r.kind === "phandle") {
        const v = target === undefined ? 0xffffffff : phandleOf(target);
        push(Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
        from = r.offset + 4;
      } else {
        push(new TextEncoder().encode(`${target?.path ?? ""}\0`));
        from = r.offset;
      }
      refs.push({ kind: r.kind, offset, target: r.target, resolvedPath: target?.path, loc: r.loc });
    }
    push(prop.value.subarray(from));
    const value = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      value.set(p, o);
      o += p.length;
    }
    prop.value = value;
    prop.refs = refs;
  }
}
