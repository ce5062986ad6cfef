// End to end: `v8r-demo --no-autorun` with commands typed (piped) into the
// Linux console. The web server starts only when Linux asks for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoProcess, portOpen, spawnDemo } from "./_spawn-demo.ts";

describe("v8r-demo --no-autorun, typing into the Linux console", () => {
  let demo: DemoProcess;
  /** Where the web server went once `nginx` started it (the demo picks a free port: `--port 0`). */
  let port: number | undefined;
  const type = (line: string): void => void demo.child.stdin?.write(`${line}\n`);

  beforeAll(async () => {
    demo = spawnDemo(["--no-autorun", "--port", "0"], { stdin: true });
    // the prompt has no newline until something is typed: wait for the line before it
    await demo.waitFor(/linux {2}\| v8r64 Linux \S+ v8r64-linux hvc0\n/, 60_000);
    // Zephyr boots in its own Worker: its line may come after Linux's prompt
    await demo.waitFor(/zephyr \| \[[\d:.,]+\] <inf> rpmsg_host: RPMsg host up on ipc0; waiting/, 30_000);
  }, 95_000);

  afterAll(() => demo.kill());

  it("boots Linux to its prompt, does not start the service or the web server, and says how to", async () => {
    expect(demo.stdout()).toMatch(/ web server +not started yet: type nginx \(or httpd\) on the linux console\n/);
    expect(demo.stdout()).toMatch(/ input +lines typed here go to the linux shell/);
    expect(demo.stdout()).not.toContain("status page");
    expect(demo.stdout()).toContain("autorun is off; type `rpmsg-demo` to start the service");
    expect(demo.stdout()).not.toContain("rpmsg-remote: started on xen-shmem");
    expect(demo.stdout()).not.toMatch(/serving http:/);
    // Zephyr waits for its peer quietly: one info line, no error or warning
    expect(demo.stdout()).toMatch(/zephyr \| \[[\d:.,]+\] <inf> rpmsg_host: RPMsg host up on ipc0; waiting for the remote to announce its endpoints\n/);
    expect(demo.stdout()).not.toMatch(/zephyr \| \[[\d:.,]+\] <(err|wrn)>/);
  });

  it("starts the rpmsg-demo service when `rpmsg-demo` is typed; samples flow", async () => {
    type("rpmsg-demo");
    await demo.waitFor(/linux {2}\| rpmsg-remote: started on xen-shmem "rpmsg-shm"/, 5_000);
    await demo.waitFor(/linux {2}\| rpmsg-remote: first sample from Zephyr boot [0-9a-f]{8}/, 5_000);
  });

  it("`nginx` asks the host, which starts the web server and answers with the URL", async () => {
    type("nginx");
    const served = await demo.waitFor(/linux {2}\| nginx: serving \/usr\/share\/nginx\/html at http:\/\/127\.0\.0\.1:(\d+)\/zephyr-status\.html\n/, 5_000);
    port = Number(served[1]);
    expect(port).toBeGreaterThan(0);
    const url = `http://127.0.0.1:${port}/zephyr-status.html`;
    expect(demo.stdout()).toContain(`[v8r-demo] linux asked for the web server: serving ${url}`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Zephyr status");
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it("`httpd` while it runs is answered ok with the same URL", async () => {
    const before = demo.stdout().split("nginx: serving").length;
    type("httpd");
    await demo.waitFor(/linux {2}\| httpd: serving \/usr\/share\/nginx\/html at http:\/\/127\.0\.0\.1:\d+\/zephyr-status\.html\n/, 5_000);
    expect(demo.stdout()).toContain(`httpd: serving /usr/share/nginx/html at http://127.0.0.1:${port}/zephyr-status.html`);
    expect(demo.stdout().split("nginx: serving").length).toBe(before);
  });

  it("runs the other console commands (ls, cat, dmesg, xl list, rpmsg-ctrl)", async () => {
    type("ls /usr/share/nginx/html");
    // only ls lists the directory's files side by side (other lines name one path)
    await demo.waitFor(/linux {2}\| (?:\S+ +)*zephyr-status\.html +(?:\S+ +)*zephyr-status\.json|linux {2}\| (?:\S+ +)*zephyr-status\.json +(?:\S+ +)*zephyr-status\.html/, 5_000);
    type("rpmsg-ctrl ping");
    await demo.waitFor(/linux {2}\| rpmsg-ctrl: ok, Zephyr uptime \d+\.\d{3} s\n/, 5_000);
    type("dmesg");
    await demo.waitFor(/linux {2}\| \[ *\d+\.\d+\] Booting Linux on physical CPU[\s\S]*linux {2}\| \[ *\d+\.\d+\] Booting Linux on physical CPU/, 5_000);
    type("xl list");
    await demo.waitFor(/linux {2}\| xl: /, 5_000);
  });

  it("shows the interrupt lines Xen wired, with the counts of the domain's vGIC, in /proc/interrupts and dmesg", async () => {
    type("cat /proc/interrupts");
    const upcalls = await demo.waitFor(/linux {2}\| +31: +(\d+)(?: +\d+)* +GICv3 +31 Level +events\n/, 5_000);
    const rx = await demo.waitFor(/linux {2}\| +32: +(\d+)(?: +\d+)* +GICv3 +32 Level +uart-pl011\n/, 5_000);
    expect(Number(upcalls[1])).toBeGreaterThan(0); // samples arrived, each raised the upcall at least once
    expect(Number(rx[1])).toBeGreaterThanOrEqual(8); // one receive interrupt or more per typed line
    expect(demo.stdout()).toMatch(/linux {2}\| \[ *\d+\.\d+\] GICv3: PPI 31 \(Xen event-channel upcall, per vCPU\) -> events\n/);
  });

  it("Ctrl-C stops it with exit 0 and closes the server it started late", async () => {
    process.kill(-(demo.child.pid as number), "SIGINT");
    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(port).toBeDefined();
    expect(await portOpen(port ?? 0)).toBe(false);
  });
});
