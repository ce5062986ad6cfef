import { ConfigError } from "./config-error.ts";
import { ConfigFileError } from "./config-file-error.ts";
import type { SourceLocation } from "./diagnostic.ts";
import { MAX_NODE_DEPTH, type DeviceTree, type DtNode } from "./device-tree.ts";
import { DtsLexer, type Token } from "./_dts-lexer.ts";
import { parsePropertyValue, unexpected } from "./_dts-values.ts";
import { TreeBuilder } from "./_tree-builder.ts";

/** Options of {@link parseDts}. */
export interface ParseDtsOptions {
  /** Name of the source, used in locations and to resolve `/include/` (default `"<input>"`). */
  readonly file?: string;
  /**
   * Reads an included file by its resolved path (relative includes are resolved against the
   * including file's directory); returns `undefined` when the file does not exist, and throws
   * when it exists but cannot be read (the message becomes an `include-unreadable` ConfigError).
   * Without it every `/include/` fails with a `include-not-found` ConfigError.
   */
  readonly readFile?: (path: string) => string | undefined;
}

/**
 * Parses device-tree source (`/dts-v1/;`, nodes, labels, `&label` references, strings, cells,
 * byte strings, `/delete-node/`, `/delete-property/`, `/include/`, `/memreserve/`, `/bits/`).
 * A `&label` that names no node is kept (see {@link DtReference}) and reported by the linter.
 * @throws {ConfigError} on a syntax error, a missing or cyclic include, a duplicate label
 * @example
 * const tree = parseDts('/dts-v1/; / { chosen { xen,xen-bootargs = "console=dtuart"; }; };');
 * tree.root.children[0]?.path; // "/chosen"
 */
export function parseDts(text: string, options: ParseDtsOptions = {}): DeviceTree {
  const file = options.file ?? "<input>";
  const parser = new DtsParser(new DtsLexer(text, file), options.readFile);
  return parser.parseFile(file);
}

/** Directory part of a slash-separated path, with a trailing slash (`""` for a bare name). */
function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i + 1);
}

/** Joins and normalises `.` and `..` segments of a slash-separated path. */
export function resolveIncludePath(fromFile: string, name: string): string {
  const joined = name.startsWith("/") ? name : dirOf(fromFile) + name;
  const absolute = joined.startsWith("/");
  const parts: string[] = [];
  for (const seg of joined.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (seg !== ".." || !absolute) parts.push(seg);
  }
  return (absolute ? "/" : "") + parts.join("/");
}

class DtsParser {
  readonly #stack: DtsLexer[];
  readonly #readFile: ((path: string) => string | undefined) | undefined;
  #tree: TreeBuilder | undefined;
  #sawVersion = false;
  /** Whether the body being parsed has had a child node (or /delete-node/) yet: properties must come first. */
  #sawChild = false;

  constructor(lexer: DtsLexer, readFile: ((path: string) => string | undefined) | undefined) {
    this.#stack = [lexer];
    this.#readFile = readFile;
  }

  get #lx(): DtsLexer {
    const top = this.#stack[this.#stack.length - 1];
    if (top === undefined) throw new Error("[xen-dom0less] parser has no input");
    return top;
  }

  parseFile(file: string): DeviceTree {
    for (;;) {
      const t = this.#lx.peek();
      if (t.kind === "eof") {
        if (this.#stack.length > 1) {
          this.#stack.pop();
          continue;
        }
        break;
      }
      this.#topStatement(t);
    }
    if (!this.#sawVersion) {
      throw new ConfigError("missing-version", { file, line: 1, column: 1 }, "the source does not start with /dts-v1/;");
    }
    return (this.#tree ?? new TreeBuilder({ file, line: 1, column: 1 })).finish(file);
  }

  #builder(loc: SourceLocation): TreeBuilder {
    if (!this.#sawVersion) throw new ConfigError("missing-version", loc, "/dts-v1/; must come before the first node");
    this.#tree ??= new TreeBuilder(loc);
    return this.#tree;
  }

  #topStatement(t: Token): void {
    const lx = this.#lx;
    if (t.kind === "directive") {
      lx.next();
      if (t.text === "/include/") return this.#include(t);
      if (t.text === "/dts-v1/" || t.text === "/plugin/") {
        if (t.text === "/dts-v1/") this.#sawVersion = true;
        return this.#expect(";");
      }
      if (t.text === "/memreserve/") return this.#memreserve(t);
      if (t.text === "/delete-node/") {
        const ref = lx.next();
        if (ref.kind !== "ref") throw unexpected(ref, "&label after /delete-node/ at the top level");
        const b = this.#builder(t.loc);
        b.deleteNode(this.#lookup(b, ref), ref.loc);
        return this.#expect(";");
      }
      if (t.text === "/omit-if-no-ref/") {
        // Kept: v8r never drops unreferenced nodes, which only changes what a .dtb would hold.
        const ref = lx.next();
        if (ref.kind !== "ref") throw unexpected(ref, "&label after /omit-if-no-ref/ at the top level");
        return this.#expect(";");
      }
      throw unexpected(t, "a node or a top-level directive");
    }
    const labels = this.#labels();
    const head = lx.next();
    let node: DtNode;
    if (head.kind === "punct" && head.text === "/") node = this.#builder(head.loc).root;
    else if (head.kind === "ref") node = this.#lookup(this.#builder(head.loc), head);
    else if (head.kind === "word" && head.text.startsWith("#")) {
      throw new ConfigError("syntax", head.loc, `C preprocessor directive ${head.text} is not supported: run cpp first, or use /include/ "file"`);
    } else throw unexpected(head, "/ { ... } or &label { ... }");
    for (const l of labels) this.#builder(l.loc).addLabel(node, l.text, l.loc);
    this.#body(node);
  }

  #lookup(b: TreeBuilder, ref: Token): DtNode {
    const node = b.lookup(ref.text);
    if (node === undefined) {
      const what = ref.text.startsWith("/") ? `&{${ref.text}}` : `&${ref.text}`;
      throw new ConfigError("undefined-label", ref.loc, `${what} names no node defined before it`);
    }
    return node;
  }

  #labels(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const [t, colon] = this.#lx.peekTwo();
      const isLabel = t.kind === "word" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text);
      if (!isLabel || !(colon.kind === "punct" && colon.text === ":")) return out;
      this.#lx.next();
      this.#lx.next();
      out.push(t);
    }
  }

  #include(directive: Token): void {
    const nameTok = this.#lx.next();
    if (nameTok.kind !== "string") throw unexpected(nameTok, "a quoted file name after /include/");
    const from = this.#lx.file;
    const path = resolveIncludePath(from, nameTok.text);
    const chain = this.#stack.map((l) => l.file);
    if (chain.includes(path)) {
      throw new ConfigError(
        "include-cycle",
        directive.loc,
        `including ${JSON.stringify(nameTok.text)} makes a cycle: ${[...chain, path].join(" -> ")}`,
      );
    }
    let text: string | undefined;
    try {
      text = this.#readFile?.(path);
    } catch (err) {
      const why = err instanceof ConfigFileError ? err.detail : err instanceof Error ? err.message : String(err);
      const where = path === nameTok.text ? "" : ` (${path})`;
      throw new ConfigError("include-unreadable", directive.loc, `cannot include ${JSON.stringify(nameTok.text)}${where}: ${why}`, { cause: err });
    }
    if (text === undefined) {
      const why = this.#readFile === undefined ? " (no readFile was given to parseDts)" : "";
      throw new ConfigError("include-not-found", directive.loc, `cannot include ${JSON.stringify(nameTok.text)}: ${path} not found${why}`);
    }
    if (this.#stack.length > 32) throw new ConfigError("include-cycle", directive.loc, "includes nested more than 32 deep");
    this.#stack.push(new DtsLexer(text, path));
  }

  #memreserve(t: Token): void {
    const a = this.#lx.next("cells");
    const s = this.#lx.next("cells");
    if (a.kind !== "number" || s.kind !== "number") throw unexpected(a.kind !== "number" ? a : s, "an address and a size after /memreserve/");
    this.#expect(";");
    this.#builder(t.loc).memoryReservations.push({ address: a.num ?? 0n, size: s.num ?? 0n });
  }

  #expect(text: string): void {
    const t = this.#lx.next();
    if (!(t.kind === "punct" && t.text === text)) throw unexpected(t, text);
  }

  #body(node: DtNode): void {
    this.#expect("{");
    const depth = this.#stack.length;
    this.#sawChild = false;
    for (;;) {
      const t = this.#lx.peek();
      if (t.kind === "eof") {
        if (this.#stack.length > depth) {
          this.#stack.pop();
          continue;
        }
        throw unexpected(t, `} to close ${node.path}`);
      }
      if (t.kind === "punct" && t.text === "}") {
        this.#lx.next();
        this.#sawChild = true;
        return this.#expect(";");
      }
      this.#bodyStatement(node, t);
    }
  }

  #bodyStatement(node: DtNode, t: Token): void {
    const lx = this.#lx;
    const b = this.#builder(t.loc);
    if (t.kind === "directive") {
      lx.next();
      if (t.text === "/include/") return this.#include(t);
      if (t.text === "/omit-if-no-ref/") return;
      const name = lx.next();
      if (name.kind !== "word") throw unexpected(name, `a name after ${t.text}`);
      if (t.text === "/delete-node/") {
        b.deleteChild(node, name.text);
        this.#sawChild = true;
      }
      else if (t.text === "/delete-property/") b.deleteProperty(node, name.text);
      else throw unexpected(t, "a property, a child node or }");
      return this.#expect(";");
    }
    const labels = this.#labels();
    const name = lx.next();
    if (name.kind !== "word") throw unexpected(name, "a property or child node name");
    const after = lx.peek("cells");
    if (after.kind === "punct" && after.text === "{") {
      const child = b.child(node, name.text, labels[0]?.loc ?? name.loc);
      for (const l of labels) b.addLabel(child, l.text, l.loc);
      if (child.path.split("/").length - 1 > MAX_NODE_DEPTH) {
        throw new ConfigError("nesting-too-deep", name.loc, `node ${name.text} is nested more than ${MAX_NODE_DEPTH} levels below the root; device trees are far shallower (Xen ignores nodes 16 levels deep or more)`);
      }
      return this.#body(child);
    }
    if (this.#sawChild) {
      throw new ConfigError("syntax", name.loc, `property ${name.text} comes after a child node of ${node.path}; properties must precede subnodes`);
    }
    if (after.kind === "punct" && after.text === ";") {
      lx.next("cells");
      return b.setProperty(node, name.text, { bytes: new Uint8Array(), refs: [] }, name.loc);
    }
    if (!(after.kind === "punct" && after.text === "=")) throw unexpected(after, `=, ; or { after ${name.text}`);
    lx.next("cells");
    const value = parsePropertyValue(lx);
    const end = lx.next("cells");
    if (!(end.kind === "punct" && end.text === ";")) throw unexpected(end, `, or ; after the value of ${name.text}`);
    b.setProperty(node, name.text, value, name.loc);
  }
}
