import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import type { GuestEvent } from "@v8r/xen-dom0less";
import { LINUX_REQUEST, LINUX_RESPONSE, type LinuxRequest } from "./host-request.ts";
import { bootLinux } from "./linux.ts";
import { splitCommandLine } from "./shell.ts";

/** A published event that is a request to the host (the fake domain keeps every event as a plain GuestEvent). */
const isRequest = (e: GuestEvent): e is LinuxRequest => e.type === LINUX_REQUEST;

async function booted(bootargs = "") {
  const pair = createFakePair({ bootargsB: bootargs });
  const linux = await bootLinux(pair.b.ctx);
  pair.b.clearOutput();
  /** Type a line and wait for the command to finish; returns what it printed (without echo and prompt). */
  async function run(line: string): Promise<string> {
    pair.b.clearOutput();
    pair.b.type(`${line}\r`);
    await linux.shell.idle();
    const out = pair.b.output();
    return out.slice(line.length + 1, out.length - linux.shell.prompt.length);
  }
  return { ...pair, linux, run };
}

describe("splitCommandLine", () => {
  it.each([
    ["ls  /usr ", ["ls", "/usr"]],
    [`echo "a b" 'c d'`, ["echo", "a b", "c d"]],
    ["echo a\\ b", ["echo", "a b"]],
    [`echo ""`, ["echo", ""]],
    ["   ", []],
  ])("%j -> %j", (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });
});

describe("Linux console shell", () => {
  it("echoes typed characters and prints the prompt after the command", async () => {
    const { b, linux } = await booted();
    b.type("echo hi\r\n");
    await linux.shell.idle();
    expect(b.output()).toBe("echo hi\nhi\nroot@v8r64-linux:~# ");
  });

  it("backspace edits the line and arrow-key sequences are ignored", async () => {
    const { b, linux } = await booted();
    b.type("echo hx\x7fi\x1b[A\r");
    await linux.shell.idle();
    expect(b.output()).toContain("\nhi\n");
  });

  it("Ctrl-C drops the line and prints a new prompt", async () => {
    const { b, linux } = await booted();
    b.type("rm -rf /\x03");
    await linux.shell.idle();
    expect(b.output()).toBe("rm -rf /^C\nroot@v8r64-linux:~# ");
  });

  it("reports an unknown command like sh does", async () => {
    const { run, linux } = await booted();
    expect(await run("frobnicate")).toBe("-sh: frobnicate: command not found\n");
    expect(await linux.shell.execute("frobnicate")).toBe(127);
  });

  it("ls lists a directory and cat prints a file", async () => {
    const { run, linux } = await booted();
    await linux.rootfs.writeText("/usr/share/nginx/html/zephyr-status.json", '{"v":1}');
    expect(await run("ls /usr/share/nginx")).toBe("html\n");
    expect(await run("ls /usr/share/nginx/html")).toBe("zephyr-status.json\n");
    expect(await run("cat /usr/share/nginx/html/zephyr-status.json")).toBe('{"v":1}\n');
  });

  it.each([
    ["cat /nope", "cat: /nope: No such file or directory\n", 1],
    ["cat /usr", "cat: /usr: Is a directory\n", 1],
    ["cat", "cat: missing operand (usage: cat FILE...)\n", 1],
    ["ls /nope", "ls: cannot access '/nope': No such file or directory\n", 2],
  ])("%s fails with a Linux-style message", async (line, message, status) => {
    const { run, linux } = await booted();
    expect(await run(line)).toBe(message);
    expect(await linux.shell.execute(line)).toBe(status);
  });

  it("dmesg prints the kernel log and dmesg -c clears it", async () => {
    const { run } = await booted();
    expect(await run("dmesg")).toContain("Booting Linux on physical CPU");
    await run("dmesg -c");
    expect(await run("dmesg")).toBe("");
  });

  it("uptime counts from boot on the domain clock", async () => {
    const { run, clock } = await booted();
    await clock.run(3_723_000);
    expect(await run("uptime")).toMatch(/^ up 01:02:03, {2}1 user, {2}vCPU load 0\.0% /);
  });

  it("xl explains that a dom0less domU has no toolstack", async () => {
    const { run, linux } = await booted();
    expect(await run("xl list")).toContain("xl: not available in a domU");
    expect(await linux.shell.execute("xl list")).toBe(1);
  });

  it("nginx asks the host to serve the status directory and prints the answer", async () => {
    const { b, linux, clock } = await booted();
    const done = linux.shell.execute("nginx");
    await clock.run(1);
    const request = b.published.find(isRequest);
    expect(request).toMatchObject({ action: "start-web-server", root: "/usr/share/nginx/html", command: "nginx" });
    b.control({ type: LINUX_RESPONSE, id: request?.id, ok: true, url: "http://127.0.0.1:8080/zephyr-status.html" });
    expect(await done).toBe(0);
    expect(b.output()).toContain("nginx: serving /usr/share/nginx/html at http://127.0.0.1:8080/zephyr-status.html");
  });

  it.each([
    ["the host refuses", { ok: false, error: "no nginx binary" }, "the host could not start the web server: no nginx binary"],
    ["the host does not answer", undefined, "the host did not answer"],
  ])("httpd fails clearly when %s", async (_what, answer, message) => {
    const { b, linux, clock } = await booted();
    const done = linux.shell.execute("httpd");
    await clock.run(1);
    const request = b.published.find(isRequest);
    if (answer) b.control({ type: LINUX_RESPONSE, id: request?.id, ...answer });
    await clock.run(10_000);
    expect(await done).toBe(1);
    expect(b.output()).toContain(message);
  });

  it("poweroff shuts the domain down", async () => {
    const { run, b } = await booted();
    await run("poweroff");
    expect(b.shutdowns).toEqual(["poweroff"]);
  });

  it("help lists the registered commands", async () => {
    const { run, linux } = await booted();
    linux.shell.register("rpmsg-demo", { summary: "start the demo", run: () => 0 });
    const out = await run("help");
    for (const name of ["cat", "dmesg", "ls", "nginx", "rpmsg-demo", "uptime", "xl"]) expect(out).toContain(`  ${name}`);
  });

  it("a command that throws prints its message and returns 1", async () => {
    const { run, linux } = await booted();
    linux.shell.register("boom", { summary: "fails", run: () => { throw new Error("it broke"); } });
    expect(await run("boom")).toBe("boom: it broke\n");
  });

  it("Ctrl-C while a command runs aborts its signal", async () => {
    const { b, linux } = await booted();
    let aborted = false;
    linux.shell.register("wait", {
      summary: "waits for Ctrl-C",
      run: (_a, io) => new Promise<void>((resolve) => io.signal.addEventListener("abort", () => { aborted = true; resolve(); })),
    });
    b.type("wait\r");
    await Promise.resolve();
    b.type("\x03");
    await linux.shell.idle();
    expect(aborted).toBe(true);
  });
});

describe("background messages", () => {
  it("start on a new line after the prompt, and the prompt comes back with the next key", async () => {
    const { b, linux } = await booted();
    b.type("");
    linux.shell.start();
    b.clearOutput();
    linux.shell.notice("rpmsg-remote: endpoint rpmsg-demo bound\n");
    linux.shell.notice("rpmsg-remote: first sample\n");
    expect(b.output()).toBe("\nrpmsg-remote: endpoint rpmsg-demo bound\nrpmsg-remote: first sample\n");
    b.type("l");
    expect(b.output().endsWith("first sample\nroot@v8r64-linux:~# l")).toBe(true);
  });

  it("print as they are while a command runs", async () => {
    const { b, linux } = await booted();
    let release: () => void = () => undefined;
    linux.shell.register("wait", { summary: "waits", run: () => new Promise<void>((r) => (release = r)) });
    b.type("wait\r");
    await Promise.resolve();
    await Promise.resolve();
    b.clearOutput();
    linux.shell.notice("msg\n");
    expect(b.output()).toBe("msg\n");
    release();
    await linux.shell.idle();
  });
});
