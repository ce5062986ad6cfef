import { ConfigError } from "./config-error.ts";
import type { SourceLocation } from "./diagnostic.ts";

/** What the parser expects next; the same characters lex differently inside `< >` and `[ ]`. */
export type LexMode = "default" | "cells" | "bytes";

/** Kinds of token. */
export type TokenKind = "word" | "number" | "string" | "char" | "punct" | "directive" | "ref" | "eof";

/** One token with where it starts. */
export interface Token {
  readonly kind: TokenKind;
  /** Source text (for `string` the text between the quotes, for `ref` the target without `&`). */
  readonly text: string;
  readonly loc: SourceLocation;
  /** Decoded bytes of a `string` token (escapes applied, no NUL). */
  readonly bytes?: Uint8Array;
  /** Value of a `number` or `char` token. */
  readonly num?: bigint;
}

interface LexState {
  offset: number;
  line: number;
  /** Offset of the first character of the current line (columns are counted from it). */
  lineStart: number;
}

// Sticky patterns: each matches at one offset (lastIndex) without copying the rest of the text.
const NAME_RUN = /[A-Za-z0-9,._+*#?@-]+/y;
const IDENT_RUN = /[A-Za-z0-9_]+/y;
const NUMBER = /(0[xX][0-9a-fA-F]+|[0-9]+)([uU]?[lL]{0,2}|[lL]{1,2}[uU]?)/y;
const SPACE_RUN = /\s+/y;
const NAME_CHAR = /[A-Za-z0-9,._+*#?@-]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;
const DIRECTIVES = [
  "/dts-v1/",
  "/plugin/",
  "/memreserve/",
  "/include/",
  "/delete-node/",
  "/delete-property/",
  "/bits/",
  "/omit-if-no-ref/",
];
const OPERATORS = ["<<", ">>", "<=", ">=", "==", "!=", "&&", "||"];
const PUNCT = "{}();=<>[],:&+-*/%|^~!?";
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, "\\": 92, '"': 34, "'": 39 };
const UTF8 = new TextEncoder();

/**
 * Turns one device-tree source text into tokens on demand. Every scan is linear in the text it
 * consumes: runs are matched with sticky patterns at the current offset (never on a copy of the
 * rest of the text), and line/column positions come from the start of the current line.
 */
export class DtsLexer {
  /** File name used in token locations. */
  readonly file: string;
  readonly #text: string;
  #s: LexState = { offset: 0, line: 1, lineStart: 0 };

  /** Creates a lexer over `text` from `file`. */
  constructor(text: string, file: string) {
    this.#text = text;
    this.file = file;
  }

  /** Location of the next unread character. */
  get location(): SourceLocation {
    return { file: this.file, line: this.#s.line, column: this.#s.offset - this.#s.lineStart + 1 };
  }

  /** Reads the next token in `mode`. */
  next(mode: LexMode = "default"): Token {
    this.#skipSpaceAndComments();
    const loc = this.location;
    const c = this.#text[this.#s.offset];
    if (c === undefined) return { kind: "eof", text: "", loc };
    if (c === '"') return this.#string(loc);
    if (c === "'") return this.#char(loc);
    if (c === "&") {
      const after = this.#text[this.#s.offset + 1] ?? "";
      if (after === "{" || /[A-Za-z_]/.test(after)) return this.#ref(loc);
    }
    if (c === "/") {
      const d = DIRECTIVES.find((x) => this.#text.startsWith(x, this.#s.offset));
      if (d !== undefined) {
        this.#advanceTo(this.#s.offset + d.length);
        return { kind: "directive", text: d, loc };
      }
    }
    if (mode === "default" && NAME_CHAR.test(c)) return this.#word(loc, NAME_RUN);
    if (mode === "cells" && c >= "0" && c <= "9") return this.#number(loc);
    if (mode !== "default" && IDENT_CHAR.test(c)) return this.#word(loc, IDENT_RUN);
    if (mode === "cells") {
      const op = OPERATORS.find((x) => this.#text.startsWith(x, this.#s.offset));
      if (op !== undefined) {
        this.#advanceTo(this.#s.offset + op.length);
        return { kind: "punct", text: op, loc };
      }
    }
    if (PUNCT.includes(c)) {
      this.#advanceTo(this.#s.offset + 1);
      return { kind: "punct", text: c, loc };
    }
    throw new ConfigError("syntax", loc, `unexpected character ${JSON.stringify(c)}`);
  }

  /** Whether the next token (after spaces and comments) starts with a letter, digit or `_`: only such a token can be a label. */
  atIdentifier(): boolean {
    this.#skipSpaceAndComments();
    return IDENT_CHAR.test(this.#text[this.#s.offset] ?? "");
  }

  /** Reads the next token in `mode` without consuming it. */
  peek(mode: LexMode = "default"): Token {
    const saved = { ...this.#s };
    try {
      return this.next(mode);
    } finally {
      this.#s = saved;
    }
  }

  /** Reads the next two tokens in `mode` without consuming them (a second token that cannot be lexed reads as `eof`). */
  peekTwo(mode: LexMode = "default"): [Token, Token] {
    const saved = { ...this.#s };
    try {
      const first = this.next(mode);
      let second: Token;
      try {
        second = this.next(mode);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        second = { kind: "eof", text: "", loc: this.location };
      }
      return [first, second];
    } finally {
      this.#s = saved;
    }
  }

  /** Moves to `end`, counting the newlines passed (linear in the distance moved). */
  #advanceTo(end: number): void {
    const s = this.#s;
    for (let nl = this.#text.indexOf("\n", s.offset); nl >= 0 && nl < end; nl = this.#text.indexOf("\n", nl + 1)) {
      s.line++;
      s.lineStart = nl + 1;
    }
    s.offset = end;
  }

  /** Where `pattern` (sticky) matches at the current offset ends, or the current offset when it does not match. */
  #runEnd(pattern: RegExp): number {
    pattern.lastIndex = this.#s.offset;
    return pattern.test(this.#text) ? pattern.lastIndex : this.#s.offset;
  }

  #skipSpaceAndComments(): void {
    for (;;) {
      const at = this.#s.offset;
      if (at >= this.#text.length) return;
      const space = this.#runEnd(SPACE_RUN);
      if (space > at) {
        this.#advanceTo(space);
      } else if (this.#text.startsWith("//", at)) {
        const nl = this.#text.indexOf("\n", at);
        this.#advanceTo(nl < 0 ? this.#text.length : nl);
      } else if (this.#text.startsWith("/*", at)) {
        const loc = this.location;
        const end = this.#text.indexOf("*/", at + 2);
        if (end < 0) throw new ConfigError("syntax", loc, "comment opened here is never closed with */");
        this.#advanceTo(end + 2);
      } else {
        return;
      }
    }
  }

  #word(loc: SourceLocation, run: RegExp): Token {
    const start = this.#s.offset;
    this.#advanceTo(this.#runEnd(run));
    return { kind: "word", text: this.#text.slice(start, this.#s.offset), loc };
  }

  #number(loc: SourceLocation): Token {
    const start = this.#s.offset;
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.#text);
    const digits = m?.[1] ?? "";
    const full = m?.[0] ?? "";
    const after = this.#text[start + full.length] ?? "";
    if (/[A-Za-z0-9_]/.test(after)) {
      throw new ConfigError("syntax", loc, `malformed number starting ${JSON.stringify(full + after)}`);
    }
    this.#advanceTo(start + full.length);
    let num: bigint;
    if (/^0[xX]/.test(digits)) num = BigInt(digits);
    else if (digits.length > 1 && digits.startsWith("0")) {
      if (!/^[0-7]+$/.test(digits)) throw new ConfigError("syntax", loc, `malformed octal number ${digits}`);
      num = BigInt(`0o${digits.slice(1)}`);
    } else num = BigInt(digits);
    return { kind: "number", text: full, loc, num };
  }

  #ref(loc: SourceLocation): Token {
    this.#advanceTo(this.#s.offset + 1);
    if (this.#text[this.#s.offset] === "{") {
      const end = this.#text.indexOf("}", this.#s.offset);
      if (end < 0) throw new ConfigError("syntax", loc, "path reference &{ is never closed with }");
      const path = this.#text.slice(this.#s.offset + 1, end);
      this.#advanceTo(end + 1);
      return { kind: "ref", text: path, loc };
    }
    const w = this.#word(loc, IDENT_RUN);
    return { kind: "ref", text: w.text, loc };
  }

  /** A `"..."` string: plain runs are encoded in one piece each, escapes byte by byte. */
  #string(loc: SourceLocation): Token {
    const text = this.#text;
    const start = this.#s.offset + 1;
    const parts: Uint8Array[] = [];
    let size = 0;
    const push = (bytes: Uint8Array): void => {
      parts.push(bytes);
      size += bytes.length;
    };
    let at = start;
    for (;;) {
      let end = at;
      while (end < text.length && text[end] !== '"' && text[end] !== "\\" && text[end] !== "\n") end++;
      if (end > at) push(UTF8.encode(text.slice(at, end)));
      this.#s.offset = end;
      const c = text[end];
      if (c === undefined || c === "\n") throw new ConfigError("syntax", loc, "string is not closed with \" on its line");
      if (c === '"') break;
      push(Uint8Array.of(this.#escape()));
      at = this.#s.offset;
    }
    const bytes = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    const body = text.slice(start, this.#s.offset);
    this.#s.offset++;
    return { kind: "string", text: body, loc, bytes };
  }

  #char(loc: SourceLocation): Token {
    this.#advanceTo(this.#s.offset + 1);
    const c = this.#text[this.#s.offset];
    let v: number;
    if (c === "\\") v = this.#escape();
    else if (c === undefined || c === "'" || c === "\n") throw new ConfigError("syntax", loc, "empty character literal");
    else {
      v = c.charCodeAt(0);
      this.#advanceTo(this.#s.offset + 1);
    }
    if (this.#text[this.#s.offset] !== "'") throw new ConfigError("syntax", loc, "character literal is not closed with '");
    this.#advanceTo(this.#s.offset + 1);
    return { kind: "char", text: String.fromCharCode(v), loc, num: BigInt(v) };
  }

  /** Reads one backslash escape (the backslash is the current character, never a newline) and returns its byte. */
  #escape(): number {
    const loc = this.location;
    const at = this.#s.offset + 1;
    const c = this.#text[at] ?? "";
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.#s.offset = at + 1;
      return simple;
    }
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(this.#text.slice(at, at + 3));
    if (hex !== null) {
      this.#s.offset = at + hex[0].length;
      return parseInt(hex[1] ?? "0", 16);
    }
    const oct = /^[0-7]{1,3}/.exec(this.#text.slice(at, at + 3));
    if (oct !== null) {
      this.#s.offset = at + oct[0].length;
      const v = parseInt(oct[0], 8);
      if (v > 255) throw new ConfigError("syntax", loc, `octal escape \\${oct[0]} is over 255`);
      return v;
    }
    throw new ConfigError("syntax", loc, `unknown escape \\${c}`);
  }
}
