import { ConfigError } from "./config-error.ts";
import type { SourceLocation } from "./diagnostic.ts";
import { createNode, MAX_NODE_DEPTH, type DeviceTree, type DtMemoryReservation, type DtNode } from "./device-tree.ts";

/** Options of {@link readDtb}. */
export interface ReadDtbOptions {
  /** Name of the blob, used in locations and messages (default `"<input>"`). */
  readonly file?: string;
}

/** Flattened device tree magic number, big-endian at offset 0. */
const FDT_MAGIC = 0xd00dfeed;
/** Structure block tokens (Devicetree Specification, "Structure Block"). */
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
/** Oldest structure layout this reader understands (version 16 and 17 share it). */
const FDT_MIN_COMPAT_VERSION = 16;
const HEADER_SIZE = 40;

interface Header {
  readonly totalSize: number;
  readonly structOff: number;
  readonly stringsOff: number;
  readonly rsvOff: number;
  readonly stringsSize: number;
  readonly structSize: number;
}

/**
 * Reads a compiled device tree blob (header, memory reservation block, structure and strings
 * blocks) into the same {@link DeviceTree} model {@link parseDts} returns. Locations have line 0.
 * @throws {ConfigError} with code `dtb-invalid` when the blob is truncated or malformed
 * @example
 * const tree = readDtb(bytes, { file: "xen.dtb" }); // bytes from `dtc -I dts -O dtb`
 */
export function readDtb(bytes: Uint8Array, options: ReadDtbOptions = {}): DeviceTree {
  const file = options.file ?? "<input>";
  const loc: SourceLocation = { file, line: 0, column: 0 };
  const fail = (detail: string): never => {
    throw new ConfigError("dtb-invalid", loc, `cannot read the device tree blob: ${detail}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeader(view, fail);
  const memoryReservations = readReservations(view, header, fail);
  const root = readStructure(bytes, view, header, loc, fail);
  return { root, file, format: "dtb", memoryReservations };
}

function readHeader(view: DataView, fail: (d: string) => never): Header {
  if (view.byteLength < HEADER_SIZE) fail(`it is ${view.byteLength} bytes, shorter than the 40-byte header`);
  const magic = view.getUint32(0);
  if (magic !== FDT_MAGIC) fail(`bad magic 0x${magic.toString(16)} (expected 0xd00dfeed)`);
  const h: Header = {
    totalSize: view.getUint32(4),
    structOff: view.getUint32(8),
    stringsOff: view.getUint32(12),
    rsvOff: view.getUint32(16),
    stringsSize: view.getUint32(32),
    structSize: view.getUint32(36),
  };
  const lastCompat = view.getUint32(24);
  if (lastCompat > FDT_MIN_COMPAT_VERSION + 1) fail(`last compatible version ${lastCompat} is newer than 17`);
  if (view.getUint32(20) < FDT_MIN_COMPAT_VERSION) fail(`version ${view.getUint32(20)} is older than 16`);
  if (h.totalSize > view.byteLength) fail(`header says ${h.totalSize} bytes but only ${view.byteLength} are present`);
  if (h.structOff + h.structSize > h.totalSize) fail("the structure block runs past the end of the blob");
  if (h.stringsOff + h.stringsSize > h.totalSize) fail("the strings block runs past the end of the blob");
  if (h.rsvOff < HEADER_SIZE || h.rsvOff > h.totalSize) fail("the memory reservation block is outside the blob");
  return h;
}

function readReservations(view: DataView, h: Header, fail: (d: string) => never): DtMemoryReservation[] {
  const out: DtMemoryReservation[] = [];
  for (let off = h.rsvOff; ; off += 16) {
    if (off + 16 > h.totalSize) fail("the memory reservation block has no terminating entry");
    const address = view.getBigUint64(off);
    const size = view.getBigUint64(off + 8);
    if (address === 0n && size === 0n) return out;
    out.push({ address, size });
  }
}

function readStructure(
  bytes: Uint8Array,
  view: DataView,
  h: Header,
  loc: SourceLocation,
  fail: (d: string) => never,
): DtNode {
  const end = h.structOff + h.structSize;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  /** The NUL-terminated string at `from` and the offset of its NUL. */
  const cString = (from: number, limit: number, what: string): [text: string, nul: number] => {
    const nul = bytes.indexOf(0, from);
    if (nul < 0 || nul >= limit) fail(`${what} at offset ${from} is not NUL-terminated`);
    return [decoder.decode(bytes.subarray(from, nul)), nul];
  };
  const stack: DtNode[] = [];
  let root: DtNode | undefined;
  let off = h.structOff;
  for (;;) {
    if (off + 4 > end) fail("the structure block ends without FDT_END");
    const token = view.getUint32(off);
    off += 4;
    const parent = stack[stack.length - 1];
    if (token === FDT_BEGIN_NODE) {
      const [name, nul] = cString(off, end, "a node name");
      off = align4(nul + 1);
      if (parent === undefined && root !== undefined) fail("there is more than one root node");
      if (stack.length > MAX_NODE_DEPTH) fail(`nodes are nested more than ${MAX_NODE_DEPTH} deep`);
      const node = createNode(parent === undefined ? "" : name, parent?.path, loc);
      if (parent === undefined) root = node;
      else parent.children.push(node);
      stack.push(node);
    } else if (token === FDT_END_NODE) {
      if (stack.pop() === undefined) fail(`FDT_END_NODE at offset ${off - 4} closes no node`);
    } else if (token === FDT_PROP) {
      if (off + 8 > end) fail(`a property header at offset ${off - 4} is truncated`);
      const len = view.getUint32(off);
      const nameOff = view.getUint32(off + 4);
      off += 8;
      if (off + len > end) fail(`a property value at offset ${off} runs past the structure block`);
      if (parent === undefined) fail(`a property at offset ${off - 12} is outside any node`);
      if (nameOff >= h.stringsSize) fail(`a property name offset ${nameOff} is outside the strings block`);
      const [name] = cString(h.stringsOff + nameOff, h.stringsOff + h.stringsSize, "a property name");
      parent.properties.push({ name, value: bytes.slice(off, off + len), refs: [], loc });
      off = align4(off + len);
    } else if (token === FDT_NOP) {
      continue;
    } else if (token === FDT_END) {
      if (stack.length > 0) fail(`FDT_END while ${stack.length} node(s) are still open`);
      if (root === undefined) fail("the structure block has no root node");
      return root;
    } else {
      fail(`unknown structure token 0x${token.toString(16)} at offset ${off - 4}`);
    }
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
