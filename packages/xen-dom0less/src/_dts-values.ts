import { ConfigError } from "./config-error.ts";
import type { SourceLocation } from "./diagnostic.ts";
import type { DtsLexer, Token } from "./_dts-lexer.ts";

/** A reference found in a value, resolved after the whole tree is parsed. */
export interface PendingRef {
  readonly kind: "phandle" | "path";
  readonly offset: number;
  readonly target: string;
  readonly loc: SourceLocation;
}

/** A parsed property value: its bytes and the references to patch in. */
export interface ParsedValue {
  readonly bytes: Uint8Array;
  readonly refs: PendingRef[];
}

const MASK64 = (1n << 64n) - 1n;

/** Growable big-endian byte buffer, kept as chunks so that a long string is copied once. */
class ByteBuilder {
  readonly #chunks: Uint8Array[] = [];
  /** Bytes pushed so far. */
  length = 0;
  pushUint(v: bigint, width: number): void {
    const b = new Uint8Array(width);
    for (let i = 0; i < width; i++) b[i] = Number((v >> BigInt((width - 1 - i) * 8)) & 0xffn);
    this.pushBytes(b);
  }
  pushBytes(b: Uint8Array): void {
    this.#chunks.push(b);
    this.length += b.length;
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.#chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/**
 * Parses the value of a property after `=`, up to (not including) the `;`:
 * comma-separated strings, `< cells >`, `/bits/ N < >`, `[ bytes ]` and `&path` references.
 */
export function parsePropertyValue(lx: DtsLexer): ParsedValue {
  const out = new ByteBuilder();
  const refs: PendingRef[] = [];
  for (;;) {
    skipLabels(lx, "cells");
    const t = lx.next("cells");
    if (t.kind === "string") {
      out.pushBytes(t.bytes ?? new Uint8Array());
      out.pushBytes(Uint8Array.of(0));
    } else if (t.kind === "ref") {
      refs.push({ kind: "path", offset: out.length, target: t.text, loc: t.loc });
    } else if (t.kind === "punct" && t.text === "<") {
      parseCells(lx, out, refs, 32);
    } else if (t.kind === "directive" && t.text === "/bits/") {
      parseCells(lx, out, refs, parseBitsWidth(lx));
    } else if (t.kind === "punct" && t.text === "[") {
      parseBytes(lx, out);
    } else {
      throw unexpected(t, "a property value (\"string\", <cells>, [bytes] or &reference)");
    }
    skipLabels(lx, "cells");
    const sep = lx.peek("cells");
    if (sep.kind === "punct" && sep.text === ",") {
      lx.next("cells");
      continue;
    }
    return { bytes: out.toBytes(), refs };
  }
}

function skipLabels(lx: DtsLexer, mode: "cells" | "bytes"): void {
  for (;;) {
    if (!lx.atIdentifier()) return; // only a word can be a label: never lex a long string twice
    const [t, colon] = lx.peekTwo(mode);
    if (t.kind !== "word" || !/^[A-Za-z_]/.test(t.text) || !(colon.kind === "punct" && colon.text === ":")) return;
    lx.next(mode);
    lx.next(mode);
  }
}

function parseBitsWidth(lx: DtsLexer): number {
  const t = lx.next("cells");
  const w = t.num === undefined ? NaN : Number(t.num);
  if (t.kind !== "number" || ![8, 16, 32, 64].includes(w)) {
    throw new ConfigError("syntax", t.loc, `/bits/ needs 8, 16, 32 or 64, found ${JSON.stringify(t.text)}`);
  }
  const open = lx.next("cells");
  if (!(open.kind === "punct" && open.text === "<")) throw unexpected(open, "< after /bits/");
  return w;
}

function parseCells(lx: DtsLexer, out: ByteBuilder, refs: PendingRef[], bits: number): void {
  const max = (1n << BigInt(bits)) - 1n;
  for (;;) {
    skipLabels(lx, "cells");
    const t = lx.next("cells");
    if (t.kind === "punct" && t.text === ">") return;
    if (t.kind === "ref") {
      if (bits !== 32) throw new ConfigError("syntax", t.loc, `a phandle reference &${t.text} needs 32-bit cells`);
      refs.push({ kind: "phandle", offset: out.length, target: t.text, loc: t.loc });
      out.pushUint(0xffffffffn, 4);
      continue;
    }
    let v: bigint;
    if (t.kind === "number" || t.kind === "char") v = t.num ?? 0n;
    else if (t.kind === "punct" && t.text === "(") v = parseExpression(lx, 0, t.loc) & MASK64;
    else throw unexpected(t, "a cell value or >");
    if (t.kind === "punct" && v > max) v &= max;
    if (v > max) {
      throw new ConfigError("value-out-of-range", t.loc, `value ${t.text} does not fit in ${bits} bits`);
    }
    out.pushUint(v, bits / 8);
  }
}

function parseBytes(lx: DtsLexer, out: ByteBuilder): void {
  for (;;) {
    skipLabels(lx, "bytes");
    const t = lx.next("bytes");
    if (t.kind === "punct" && t.text === "]") return;
    if (t.kind !== "word" || !/^([0-9a-fA-F]{2})+$/.test(t.text)) {
      throw unexpected(t, "pairs of hex digits or ]");
    }
    const b = new Uint8Array(t.text.length / 2);
    for (let i = 0; i < b.length; i++) b[i] = parseInt(t.text.slice(2 * i, 2 * i + 2), 16);
    out.pushBytes(b);
  }
}

/** Binary operators by precedence level (higher binds tighter). */
const BINARY: Record<string, number> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
  "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
};

/** Deepest nesting of parentheses, unary operators and `?:` in one expression. */
const MAX_EXPRESSION_DEPTH = 64;

/** Throws a positioned error when an expression nests deeper than {@link MAX_EXPRESSION_DEPTH}. */
function deeper(depth: number, at: SourceLocation): number {
  if (depth >= MAX_EXPRESSION_DEPTH) {
    throw new ConfigError("nesting-too-deep", at, `expression nested more than ${MAX_EXPRESSION_DEPTH} deep (parentheses, unary operators and ?: count)`);
  }
  return depth + 1;
}

/** Parses an integer expression inside `( )`; the `(` has been read. */
function parseExpression(lx: DtsLexer, depth: number, open: SourceLocation): bigint {
  const v = parseTernary(lx, deeper(depth, open));
  const close = lx.next("cells");
  if (!(close.kind === "punct" && close.text === ")")) throw unexpected(close, ")");
  return v;
}

function parseTernary(lx: DtsLexer, depth: number): bigint {
  const cond = parseBinary(lx, 1, depth);
  const q = lx.peek("cells");
  if (!(q.kind === "punct" && q.text === "?")) return cond;
  lx.next("cells");
  const a = parseTernary(lx, deeper(depth, q.loc));
  const colon = lx.next("cells");
  if (!(colon.kind === "punct" && colon.text === ":")) throw unexpected(colon, ": in a ?: expression");
  const b = parseTernary(lx, deeper(depth, colon.loc));
  return cond !== 0n ? a : b;
}

function parseBinary(lx: DtsLexer, minPrec: number, depth: number): bigint {
  let left = parseUnary(lx, depth);
  for (;;) {
    const op = lx.peek("cells");
    const prec = op.kind === "punct" ? BINARY[op.text] : undefined;
    if (prec === undefined || prec < minPrec) return left;
    lx.next("cells");
    const right = parseBinary(lx, prec + 1, depth);
    left = applyBinary(op, left, right);
  }
}

function parseUnary(lx: DtsLexer, depth: number): bigint {
  const t = lx.next("cells");
  if (t.kind === "number" || t.kind === "char") return t.num ?? 0n;
  if (t.kind === "punct") {
    if (t.text === "(") return parseExpression(lx, depth, t.loc);
    if (t.text === "-") return -parseUnary(lx, deeper(depth, t.loc)) & MASK64;
    if (t.text === "~") return ~parseUnary(lx, deeper(depth, t.loc)) & MASK64;
    if (t.text === "!") return parseUnary(lx, deeper(depth, t.loc)) === 0n ? 1n : 0n;
  }
  throw unexpected(t, "a number in the expression");
}

function applyBinary(op: Token, a: bigint, b: bigint): bigint {
  const bool = (x: boolean): bigint => (x ? 1n : 0n);
  switch (op.text) {
    case "||": return bool(a !== 0n || b !== 0n);
    case "&&": return bool(a !== 0n && b !== 0n);
    case "|": return a | b;
    case "^": return a ^ b;
    case "&": return a & b;
    case "==": return bool(a === b);
    case "!=": return bool(a !== b);
    case "<": return bool(a < b);
    case ">": return bool(a > b);
    case "<=": return bool(a <= b);
    case ">=": return bool(a >= b);
    case "<<": return (a << (b & 63n)) & MASK64;
    case ">>": return a >> (b & 63n);
    case "+": return (a + b) & MASK64;
    case "-": return (a - b) & MASK64;
    case "*": return (a * b) & MASK64;
    default:
      if (b === 0n) throw new ConfigError("syntax", op.loc, `division by zero in an expression`);
      return op.text === "/" ? a / b : a % b;
  }
}

/** A syntax error saying what was found and what was expected. */
export function unexpected(t: Token, expected: string): ConfigError {
  const found = t.kind === "eof" ? "end of file" : t.kind === "string" ? `"${t.text}"` : JSON.stringify(t.text);
  return new ConfigError("syntax", t.loc, `expected ${expected}, found ${found}`);
}
