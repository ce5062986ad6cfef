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
  column: number;
}

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

/** Turns one device-tree source text into tokens on demand. */
export class DtsLexer {
  /** File name used in token locations. */
  readonly file: string;
  readonly #text: string;
  #s: LexState = { offset: 0, line: 1, column: 1 };

  /** Creates a lexer over `text` from `file`. */
  constructor(text: string, file: string) {
    this.#text = text;
    this.file = file;
  }

  /** Location of the next unread character. */
  get location(): SourceLocation {
    return { file: this.file, line: this.#s.line, column: this.#s.column };
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
        this.#advance(d.length);
        return { kind: "directive", text: d, loc };
      }
    }
    if (mode === "default" && NAME_CHAR.test(c)) return this.#word(loc, NAME_CHAR);
    if (mode === "cells" && /[0-9]/.test(c)) return this.#number(loc);
    if (mode !== "default" && IDENT_CHAR.test(c)) return this.#word(loc, IDENT_CHAR);
    if (mode === "cells") {
      const op = OPERATORS.find((x) => this.#text.startsWith(x, this.#s.offset));
      if (op !== undefined) {
        this.#advance(op.length);
        return { kind: "punct", text: op, loc };
      }
    }
    if (PUNCT.includes(c)) {
      this.#advance(1);
      return { kind: "punct", text: c, loc };
    }
    throw new ConfigError("syntax", loc, `unexpected character ${JSON.stringify(c)}`);
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

  #advance(n: number): void {
    for (let i = 0; i < n; i++) {
      const ch = this.#text[this.#s.offset++];
      if (ch === "\n") {
        this.#s.line++;
        this.#s.column = 1;
      } else {
        this.#s.column++;
      }
    }
  }

  #skipSpaceAndComments(): void {
    for (;;) {
      const c = this.#text[this.#s.offset];
      if (c === undefined) return;
      if (/\s/.test(c)) {
        this.#advance(1);
      } else if (this.#text.startsWith("//", this.#s.offset)) {
        while (this.#text[this.#s.offset] !== undefined && this.#text[this.#s.offset] !== "\n") this.#advance(1);
      } else if (this.#text.startsWith("/*", this.#s.offset)) {
        const loc = this.location;
        const end = this.#text.indexOf("*/", this.#s.offset + 2);
        if (end < 0) throw new ConfigError("syntax", loc, "comment opened here is never closed with */");
        this.#advance(end + 2 - this.#s.offset);
      } else {
        return;
      }
    }
  }

  #word(loc: SourceLocation, chars: RegExp): Token {
    const start = this.#s.offset;
    while (chars.test(this.#text[this.#s.offset] ?? "")) this.#advance(1);
    return { kind: "word", text: this.#text.slice(start, this.#s.offset), loc };
  }

  #number(loc: SourceLocation): Token {
    const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)([uU]?[lL]{0,2}|[lL]{1,2}[uU]?)/.exec(this.#text.slice(this.#s.offset));
    const digits = m?.[1] ?? "";
    const full = m?.[0] ?? "";
    const after = this.#text[this.#s.offset + full.length] ?? "";
    if (/[A-Za-z0-9_]/.test(after)) {
      throw new ConfigError("syntax", loc, `malformed number starting ${JSON.stringify(full + after)}`);
    }
    this.#advance(full.length);
    let num: bigint;
    if (/^0[xX]/.test(digits)) num = BigInt(digits);
    else if (digits.length > 1 && digits.startsWith("0")) {
      if (!/^[0-7]+$/.test(digits)) throw new ConfigError("syntax", loc, `malformed octal number ${digits}`);
      num = BigInt(`0o${digits.slice(1)}`);
    } else num = BigInt(digits);
    return { kind: "number", text: full, loc, num };
  }

  #ref(loc: SourceLocation): Token {
    this.#advance(1);
    if (this.#text[this.#s.offset] === "{") {
      const end = this.#text.indexOf("}", this.#s.offset);
      if (end < 0) throw new ConfigError("syntax", loc, "path reference &{ is never closed with }");
      const path = this.#text.slice(this.#s.offset + 1, end);
      this.#advance(end + 1 - this.#s.offset);
      return { kind: "ref", text: path, loc };
    }
    const w = this.#word(loc, IDENT_CHAR);
    return { kind: "ref", text: w.text, loc };
  }

  #string(loc: SourceLocation): Token {
    this.#advance(1);
    const out: number[] = [];
    const enc = new TextEncoder();
    const start = this.#s.offset;
    for (;;) {
      const c = this.#text[this.#s.offset];
      if (c === undefined || c === "\n") throw new ConfigError("syntax", loc, "string is not closed with \" on its line");
      if (c === '"') break;
      if (c === "\\") out.push(this.#escape());
      else {
        const cp = this.#text.codePointAt(this.#s.offset) ?? 0;
        const ch = String.fromCodePoint(cp);
        out.push(...enc.encode(ch));
        this.#advance(ch.length);
      }
    }
    const text = this.#text.slice(start, this.#s.offset);
    this.#advance(1);
    return { kind: "string", text, loc, bytes: Uint8Array.from(out) };
  }

  #char(loc: SourceLocation): Token {
    this.#advance(1);
    const c = this.#text[this.#s.offset];
    let v: number;
    if (c === "\\") v = this.#escape();
    else if (c === undefined || c === "'" || c === "\n") throw new ConfigError("syntax", loc, "empty character literal");
    else {
      v = c.charCodeAt(0);
      this.#advance(1);
    }
    if (this.#text[this.#s.offset] !== "'") throw new ConfigError("syntax", loc, "character literal is not closed with '");
    this.#advance(1);
    return { kind: "char", text: String.fromCharCode(v), loc, num: BigInt(v) };
  }

  /** Reads one backslash escape (the backslash is the current character) and returns its byte. */
  #escape(): number {
    const loc = this.location;
    this.#advance(1);
    const c = this.#text[this.#s.offset] ?? "";
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, "\\": 92, '"': 34, "'": 39 };
    const s = simple[c];
    if (s !== undefined) {
      this.#advance(1);
      return s;
    }
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(this.#text.slice(this.#s.offset, this.#s.offset + 3));
    if (hex !== null) {
      this.#advance(hex[0].length);
      return parseInt(hex[1] ?? "0", 16);
    }
    const oct = /^[0-7]{1,3}/.exec(this.#text.slice(this.#s.offset, this.#s.offset + 3));
    if (oct !== null) {
      this.#advance(oct[0].length);
      const v = parseInt(oct[0], 8);
      if (v > 255) throw new ConfigError("syntax", loc, `octal escape \\${oct[0]} is over 255`);
      return v;
    }
    throw new ConfigError("syntax", loc, `unknown escape \\${c}`);
  }
}
