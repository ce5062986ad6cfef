/**
 * The Linux console shell: reads lines typed on the domain's console
 * (minimal line editing: backspace, Ctrl-C, Ctrl-U), runs commands one at
 * a time and prints the prompt `root@<hostname>:~# `.
 *
 * @module
 */
import { describeError } from "@v8r/fvp-core";
import type { GuestConsole } from "@v8r/xen-dom0less";

/** What a running command gets. */
export interface ShellIo {
  /** Print text on the console (add `\n` yourself). */
  write(text: string): void;
  /** Aborted when the user presses Ctrl-C while the command runs. */
  readonly signal: AbortSignal;
}

/** A shell command; `run` returns the exit status (0 when it returns nothing). */
export interface ShellCommand {
  /** One line for `help`. */
  readonly summary: string;
  /** Usage text, e.g. `"cat FILE..."`. */
  readonly usage?: string;
  /** Run with the arguments after the command name. */
  run(args: readonly string[], io: ShellIo): void | number | Promise<void | number>;
}

/** Options of {@link LinuxShell}. */
export interface LinuxShellOptions {
  /** The console to read from and write to. */
  readonly console: GuestConsole;
  /** Host name shown in the prompt; default `v8r64-linux`. */
  readonly hostname?: string;
}

const enc = new TextDecoder();

/**
 * Split a command line into words: whitespace separates, single or double
 * quotes group, a backslash escapes the next character.
 *
 * @example
 * ```ts
 * splitCommandLine(`rpmsg-ctrl period "500"`); // ["rpmsg-ctrl", "period", "500"]
 * ```
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i] ?? "";
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * A small interactive shell on a guest console. Commands are registered by
 * the OS layer (`dmesg`, `cat`, ...) and by applications (`rpmsg-demo`, ...).
 *
 * @example
 * ```ts
 * const shell = new LinuxShell({ console: ctx.console });
 * shell.register("hello", { summary: "say hello", run: (_args, io) => io.write("hello\n") });
 * shell.start();
 * ```
 */
export class LinuxShell {
  /** The prompt printed before each command line. */
  readonly prompt: string;
  readonly #console: GuestConsole;
  readonly #commands = new Map<string, ShellCommand>();
  #line = "";
  #escape = 0;
  #lastWasCr = false;
  #queue: Promise<void> = Promise.resolve();
  #running: AbortController | undefined;
  #promptShown = false;
  #detach: (() => void) | undefined;

  /** A shell on `options.console`; call {@link LinuxShell.start} to read input. */
  constructor(options: LinuxShellOptions) {
    if (typeof options?.console?.write !== "function") throw new TypeError("[linux-shim] LinuxShell needs a console");
    this.#console = options.console;
    this.prompt = `root@${options.hostname ?? "v8r64-linux"}:~# `;
    this.register("help", { summary: "list the commands", run: (_a, io) => this.#help(io) });
    this.register("echo", { summary: "print the arguments", run: (a, io) => io.write(`${a.join(" ")}\n`) });
  }

  /** Add or replace a command. */
  register(name: string, command: ShellCommand): void {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new TypeError(`[linux-shim] shell command name ${JSON.stringify(name)} is not a plain word`);
    if (typeof command?.run !== "function") throw new TypeError(`[linux-shim] shell command "${name}" needs a run function`);
    this.#commands.set(name, command);
  }

  /** The registered command names, sorted. */
  commands(): string[] {
    return [...this.#commands.keys()].sort();
  }

  /** Start reading the console and print the prompt. Idempotent. */
  start(): void {
    if (this.#detach) return;
    this.#detach = this.#console.onInput((data) => this.#input(enc.decode(data)));
    this.#showPrompt();
  }

  /**
   * Print a message from a background task (e.g. a service log line). When
   * the prompt is waiting for input, the message starts on a new line and
   * the prompt comes back with the next key, so lines never run into it.
   */
  notice(text: string): void {
    if (this.#promptShown && this.#running === undefined) {
      this.#console.write("\n");
      this.#promptShown = false;
    }
    this.#console.write(text);
  }

  /** Stop reading the console. */
  stop(): void {
    this.#detach?.();
    this.#detach = undefined;
  }

  /**
   * Run one command line (as if typed, without echo and prompt) and resolve
   * with its exit status: 127 for an unknown command, 1 when it threw.
   */
  async execute(line: string, signal: AbortSignal = new AbortController().signal): Promise<number> {
    const words = splitCommandLine(line);
    const name = words[0];
    if (name === undefined) return 0;
    const command = this.#commands.get(name);
    const io: ShellIo = { write: (text) => this.#console.write(text), signal };
    if (command === undefined) {
      io.write(`-sh: ${name}: command not found\n`);
      return 127;
    }
    try {
      const status = await command.run(words.slice(1), io);
      return typeof status === "number" ? status : 0;
    } catch (err) {
      io.write(`${name}: ${describeError(err).error}\n`);
      return 1;
    }
  }

  /** Resolves when every queued command line has run. */
  idle(): Promise<void> {
    return this.#queue;
  }

  #input(text: string): void {
    if (!this.#promptShown && this.#running === undefined) this.#showPrompt();
    for (const c of text) this.#key(c);
  }

  #showPrompt(): void {
    this.#console.write(this.prompt + this.#line);
    this.#promptShown = true;
  }

  #key(c: string): void {
    const crThenLf = this.#lastWasCr && c === "\n";
    this.#lastWasCr = c === "\r";
    if (this.#escape > 0) {
      // skip "ESC [ params final" sequences (arrow keys): the final byte is 0x40..0x7e
      if (this.#escape === 1) this.#escape = c === "[" ? 2 : 0;
      else if (c >= "@" && c <= "~") this.#escape = 0;
      return;
    }
    if (c === "\x1b") this.#escape = 1;
    else if (c === "\r" || c === "\n") {
      if (!crThenLf) this.#submit();
    } else if (c === "\x7f" || c === "\b") {
      if (this.#line.length > 0) {
        this.#line = this.#line.slice(0, -1);
        this.#console.write("\b \b");
      }
    } else if (c === "\x03") this.#interrupt();
    else if (c === "\x15") {
      this.#console.write("\b \b".repeat(this.#line.length));
      this.#line = "";
    } else if (c >= " ") {
      this.#line += c;
      this.#console.write(c);
    }
  }

  #interrupt(): void {
    if (this.#running) {
      this.#console.write("^C\n");
      this.#running.abort();
      return;
    }
    this.#line = "";
    this.#console.write("^C\n");
    this.#showPrompt();
  }

  #submit(): void {
    const line = this.#line;
    this.#line = "";
    this.#console.write("\n");
    this.#promptShown = false;
    this.#queue = this.#queue.then(async () => {
      const controller = new AbortController();
      this.#running = controller;
      try {
        await this.execute(line, controller.signal);
      } finally {
        this.#running = undefined;
        this.#showPrompt();
      }
    });
  }

  #help(io: ShellIo): void {
    io.write("v8r Linux console. Commands:\n");
    for (const name of this.commands()) {
      const cmd = this.#commands.get(name);
      if (cmd) io.write(`  ${(cmd.usage ?? name).padEnd(28)} ${cmd.summary}\n`);
    }
  }
}
