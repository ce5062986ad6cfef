import { describe, expect, it } from "vitest";
import { createConsoleMux, shouldUseColor, type ConsoleEntry, type ConsoleMuxOptions } from "./console-mux.ts";

function setup(options: Omit<ConsoleMuxOptions, "out"> = {}) {
  const chunks: string[] = [];
  const mux = createConsoleMux({ out: { write: (t) => chunks.push(t) }, now: () => 1234, ...options });
  return { mux, chunks, text: () => chunks.join("") };
}

describe("createConsoleMux: text", () => {
  it("prefixes each line with its source padded to the longest known source", () => {
    const { mux, text } = setup();
    mux.line("xen", "(XEN) Xen version 4.18");
    mux.line("zephyr", "*** Booting Zephyr OS ***");
    mux.line("v8r", "ready");
    expect(text()).toBe("xen    | (XEN) Xen version 4.18\nzephyr | *** Booting Zephyr OS ***\nv8r    | ready\n");
  });

  it("splits text with several lines, CRLF included, and drops one trailing newline", () => {
    const { mux, chunks } = setup();
    mux.line("linux", "a\r\nb\nc\n");
    expect(chunks).toEqual(["linux  | a\n", "linux  | b\n", "linux  | c\n"]);
  });

  it("has no escape codes when colour is off", () => {
    const { mux, text } = setup({ color: false });
    mux.line("linux", "boot", "error");
    expect(text()).not.toContain("\x1b");
  });

  it("colours the prefix per source and error lines red when colour is on", () => {
    const { mux, chunks } = setup({ color: true });
    mux.line("zephyr", "ok");
    mux.line("linux", "ok");
    mux.line("linux", "oops", "error");
    expect(chunks[0]).toContain("\x1b[36mzephyr");
    expect(chunks[1]).toContain("\x1b[32mlinux ");
    expect(chunks[0]).not.toBe(chunks[1]?.replace("linux ", "zephyr"));
    expect(chunks[2]).toContain("\x1b[31moops\x1b[0m");
  });
});

describe("createConsoleMux: json", () => {
  it("writes one JSON object per line with t, source and line", () => {
    const { mux, chunks } = setup({ format: "json", color: true });
    mux.line("xen", "hello \"world\"");
    mux.line("v8r", "bad", "error");
    expect(chunks.map((c) => JSON.parse(c))).toEqual([
      { t: 1234, source: "xen", line: "hello \"world\"" },
      { t: 1234, source: "v8r", line: "bad", level: "error" },
    ]);
    expect(chunks.every((c) => c.endsWith("}\n") && !c.includes("\x1b"))).toBe(true);
  });
});

describe("createConsoleMux: quiet", () => {
  it("shows only v8r's own lines and errors, but keeps every tail", () => {
    const { mux, text } = setup({ quiet: true });
    mux.line("xen", "noise");
    mux.line("linux", "kernel panic", "error");
    mux.line("v8r", "serving");
    expect(text()).toBe("linux  | kernel panic\nv8r    | serving\n");
    expect(mux.tail("xen")).toEqual(["noise"]);
  });
});

describe("createConsoleMux: tails and writers", () => {
  it("keeps the last N lines per source", () => {
    const { mux } = setup({ tailLines: 3 });
    for (let i = 0; i < 10; i++) mux.line("zephyr", `line ${i}`);
    mux.line("linux", "one");
    expect(mux.tail("zephyr")).toEqual(["line 7", "line 8", "line 9"]);
    expect(mux.tails()).toEqual({ xen: [], zephyr: ["line 7", "line 8", "line 9"], linux: ["one"], v8r: [] });
    expect(mux.tail("nobody")).toEqual([]);
  });

  it("returns copies, so callers cannot change the tails", () => {
    const { mux } = setup();
    mux.line("xen", "a");
    mux.tail("xen").push("b");
    (mux.tails().xen as string[]).push("c");
    expect(mux.tail("xen")).toEqual(["a"]);
  });

  it("cuts a byte stream into lines, across chunk and UTF-8 boundaries", () => {
    const { mux, chunks } = setup();
    const w = mux.writer("zephyr");
    const bytes = new TextEncoder().encode("héllo\r\nwor");
    w.write(bytes.subarray(0, 2));
    w.write(bytes.subarray(2));
    expect(chunks).toEqual(["zephyr | héllo\n"]);
    w.write("ld\r");
    expect(chunks).toHaveLength(1);
    w.write("\nlast");
    expect(chunks).toEqual(["zephyr | héllo\n", "zephyr | world\n"]);
    mux.flush();
    expect(chunks[2]).toBe("zephyr | last\n");
    mux.flush();
    expect(chunks).toHaveLength(3);
  });

  it("tells subscribers about every line, also in quiet mode, until they unsubscribe", () => {
    const { mux } = setup({ quiet: true });
    const seen: ConsoleEntry[] = [];
    const off = mux.subscribe((e) => seen.push(e));
    mux.line("xen", "a");
    off();
    mux.line("xen", "b");
    expect(seen).toEqual([{ t: 1234, source: "xen", line: "a", level: "info" }]);
  });

  it("refuses a negative tail size", () => {
    expect(() => setup({ tailLines: -1 })).toThrow(RangeError);
  });
});

describe("shouldUseColor", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [false, { FORCE_COLOR: "1" }, true],
    [true, { FORCE_COLOR: "0" }, false],
    [false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
  ])("isTTY=%s env=%j -> %s", (isTTY, env, expected) => {
    expect(shouldUseColor({ isTTY, env })).toBe(expected);
  });
});

describe("createConsoleMux: prompts on an interactive terminal", () => {
  it("shows a prompt at once, then the guest's echo of piped input continues it on the same line", () => {
    const { mux, text } = setup({ interactive: true });
    mux.line("linux", "v8r64 Linux");
    mux.prompt("linux", "root# ");
    expect(text()).toBe("linux  | v8r64 Linux\nlinux  | root# ");
    mux.prompt("linux", "root# l");
    mux.prompt("linux", "root# ls");
    mux.line("linux", "root# ls");
    mux.line("linux", "usr");
    mux.prompt("linux", "root# ");
    expect(text()).toBe("linux  | v8r64 Linux\nlinux  | root# ls\nlinux  | usr\nlinux  | root# ");
  });

  it("does not print again the line a terminal in line mode already shows (prompt and what was typed)", () => {
    const { mux, text } = setup({ interactive: true });
    mux.prompt("linux", "root# ");
    mux.typed("linux", "ls\n"); // the terminal echoed "ls" and moved to a new line
    mux.prompt("linux", "root# l"); // the guest's own echo, already on screen
    mux.line("linux", "root# ls");
    mux.line("linux", "usr");
    expect(text()).toBe("linux  | root# linux  | usr\n");
  });

  it("closes an unfinished line before another source's line, and prints a finished line that differs", () => {
    const { mux, text } = setup({ interactive: true });
    mux.prompt("linux", "root# ");
    mux.line("zephyr", "sample 3");
    mux.prompt("linux", "login: ");
    mux.line("linux", "something else");
    mux.flush();
    expect(text()).toBe("linux  | root# \nzephyr | sample 3\nlinux  | login: \nlinux  | something else\n");
  });

  it("a typed line that the guest echoes differently is printed; flush() ends an open prompt with a line feed", () => {
    const { mux, text } = setup({ interactive: true });
    mux.prompt("linux", "root# ");
    mux.typed("linux", "ls\n");
    mux.line("linux", "-sh: permission denied");
    mux.prompt("linux", "root# ");
    mux.flush();
    expect(text()).toBe("linux  | root# linux  | -sh: permission denied\nlinux  | root# \n");
  });

  it.each([
    { name: "not interactive", options: {} },
    { name: "json", options: { interactive: true, format: "json" as const } },
    { name: "quiet", options: { interactive: true, quiet: true } },
  ])("ignores prompts when $name", ({ options }) => {
    const { mux, chunks } = setup(options);
    mux.prompt("linux", "root# ");
    mux.typed("linux", "ls\n");
    expect(chunks).toEqual([]);
  });
});
