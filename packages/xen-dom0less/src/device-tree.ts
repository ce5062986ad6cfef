import type { SourceLocation } from "./diagnostic.ts";

/**
 * Deepest node nesting v8r reads, in a .dts or a .dtb (the root is depth 0). Real device trees
 * stay far below it (Xen itself ignores nodes nested 16 or more deep); the limit keeps a hostile
 * input from exhausting the stack and gives it a positioned error instead.
 */
export const MAX_NODE_DEPTH = 64;

/** A reference inside a property value: `&label` / `&{/path}` in a .dts. */
export interface DtReference {
  /** `"phandle"` for a reference inside `< >` (4 bytes), `"path"` for one outside (a NUL-terminated string). */
  readonly kind: "phandle" | "path";
  /** Byte offset of the reference in the property value. */
  readonly offset: number;
  /** The label (`ec3`) or path (`/chosen/domU1`) as written, without the `&`. */
  readonly target: string;
  /** Path of the node it names, or `undefined` when no node has that label or path. */
  readonly resolvedPath: string | undefined;
  /** Where the reference was written. */
  readonly loc: SourceLocation;
}

/** A property: its name, its value as the bytes a .dtb would hold, and where it was defined. */
export interface DtProperty {
  /** Property name, e.g. `xen,shm-id`. */
  readonly name: string;
  /** The encoded value (big-endian cells, NUL-terminated strings); empty for an empty property. */
  value: Uint8Array;
  /** References written in the value (always empty for a tree read from a .dtb). */
  refs: DtReference[];
  /** Where the property was (last) defined; line 0 for a .dtb. */
  loc: SourceLocation;
}

/** A device-tree node. */
export interface DtNode {
  /** Node name without unit address (`domU1`, `evtchn`); `""` for the root. */
  readonly name: string;
  /** Unit address after `@`, if any (`"3"` for `evtchn@3`). */
  readonly unitAddress: string | undefined;
  /** `name@unit` as written, `""` for the root. */
  readonly fullName: string;
  /** Absolute path, e.g. `/chosen/domU1`; `/` for the root. */
  readonly path: string;
  /** Labels attached to the node (`ec3` for `ec3: evtchn@3 { ... }`). */
  labels: string[];
  /** Properties in definition order. */
  properties: DtProperty[];
  /** Child nodes in definition order. */
  children: DtNode[];
  /** Where the node was first defined; line 0 for a .dtb. */
  loc: SourceLocation;
}

/** A memory reservation from `/memreserve/` or the .dtb reservation block. */
export interface DtMemoryReservation {
  /** Start address. */
  readonly address: bigint;
  /** Size in bytes. */
  readonly size: bigint;
}

/** A whole device tree, parsed from a .dts or read from a .dtb. */
export interface DeviceTree {
  /** The root node `/`. */
  readonly root: DtNode;
  /** File name of the top-level source. */
  readonly file: string;
  /** Where the tree came from. */
  readonly format: "dts" | "dtb";
  /** Memory reservations (`/memreserve/`). */
  readonly memoryReservations: DtMemoryReservation[];
}

/** Creates an empty node under `parentPath` (`undefined` for the root). */
export function createNode(fullName: string, parentPath: string | undefined, loc: SourceLocation): DtNode {
  const at = fullName.indexOf("@");
  const path = parentPath === undefined ? "/" : parentPath === "/" ? `/${fullName}` : `${parentPath}/${fullName}`;
  return {
    name: at < 0 ? fullName : fullName.slice(0, at),
    unitAddress: at < 0 ? undefined : fullName.slice(at + 1),
    fullName,
    path,
    labels: [],
    properties: [],
    children: [],
    loc,
  };
}

/** Finds a node by absolute path (`/chosen/domU1`); `undefined` when there is none. */
export function findNode(tree: DeviceTree, path: string): DtNode | undefined {
  if (!path.startsWith("/")) return undefined;
  let node: DtNode | undefined = tree.root;
  for (const part of path.split("/").filter((p) => p.length > 0)) {
    node = node.children.find((c) => c.fullName === part);
    if (node === undefined) return undefined;
  }
  return node;
}

/** Calls `visit` for every node, parents before children, in tree order (iterative: any depth). */
export function walkNodes(node: DtNode, visit: (n: DtNode) => void): void {
  const stack: DtNode[] = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    visit(n);
    for (let i = n.children.length - 1; i >= 0; i--) {
      const child = n.children[i];
      if (child !== undefined) stack.push(child);
    }
  }
}

/** Returns the property called `name`, or `undefined`. */
export function getProperty(node: DtNode, name: string): DtProperty | undefined {
  return node.properties.find((p) => p.name === name);
}

/** Finds the node whose `phandle` (or `linux,phandle`) property equals `phandle`. */
export function findByPhandle(tree: DeviceTree, phandle: number): DtNode | undefined {
  let found: DtNode | undefined;
  walkNodes(tree.root, (n) => {
    if (found !== undefined) return;
    const p = getProperty(n, "phandle") ?? getProperty(n, "linux,phandle");
    if (p !== undefined && p.value.length === 4 && readU32(p.value, 0) === phandle) found = n;
  });
  return found;
}

/** Reads the big-endian 32-bit cell at byte `offset`. */
export function readU32(bytes: Uint8Array, offset: number): number {
  const b0 = bytes[offset] ?? 0;
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  const b3 = bytes[offset + 3] ?? 0;
  return ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}

/** The value as 32-bit cells, or `undefined` when its length is not a multiple of 4. */
export function propertyCells(prop: DtProperty): number[] | undefined {
  if (prop.value.length % 4 !== 0) return undefined;
  const cells: number[] = [];
  for (let i = 0; i < prop.value.length; i += 4) cells.push(readU32(prop.value, i));
  return cells;
}

/** Joins `count` cells starting at `start` into one number (exact up to 2^53). */
export function cellsToNumber(cells: readonly number[], start: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) v = v * 0x1_0000_0000 + (cells[start + i] ?? 0);
  return v;
}

/**
 * The value as a list of strings, or `undefined` when it is not NUL-terminated
 * printable text (an empty value gives `[]`).
 */
export function propertyStrings(prop: DtProperty): string[] | undefined {
  const v = prop.value;
  if (v.length === 0) return [];
  if (v[v.length - 1] !== 0) return undefined;
  for (let i = 0; i < v.length - 1; i++) {
    const b = v[i] ?? 0;
    if (b === 0 && (i === 0 || v[i - 1] === 0)) return undefined;
    if (b !== 0 && (b < 0x20 || b === 0x7f) && b !== 0x09 && b !== 0x0a) return undefined;
  }
  return new TextDecoder().decode(v.subarray(0, v.length - 1)).split("\0");
}

/** The value as one string, or `undefined` when it is not exactly one NUL-terminated string. */
export function propertyString(prop: DtProperty): string | undefined {
  const list = propertyStrings(prop);
  return list !== undefined && list.length === 1 ? list[0] : undefined;
}

/** True when the node's `compatible` list contains one of `names`. */
export function isCompatible(node: DtNode, ...names: string[]): boolean {
  const p = getProperty(node, "compatible");
  const list = p === undefined ? undefined : propertyStrings(p);
  return list !== undefined && list.some((c) => names.includes(c));
}
