import { describe, expect, it } from "vitest";
import { formatBanner, formatProgress } from "./banner.ts";

describe("formatBanner", () => {
  const base = {
    version: "1.2.3",
    statusUrl: "http://127.0.0.1:8080/zephyr-status.html",
    dashboardUrl: "http://127.0.0.1:8080/",
    rootfs: "/tmp/v8r-rootfs",
    consoles: [
      { name: "xen", where: "stdout" },
      { name: "zephyr", where: "stdout" },
      { name: "linux", where: "stdout" },
    ],
    config: "bundled v8r64-virtualization.dts",
    mode: "one Worker per domain",
  };

  it("shows the URL, the rootfs, the consoles and how to stop", () => {
    const text = formatBanner(base);
    expect(text.split("\n")[0]).toBe("v8r-demo 1.2.3: Xen dom0less with zephyr and linux (one Worker per domain)");
    expect(text).toMatch(/\n {2}status page +http:\/\/127\.0\.0\.1:8080\/zephyr-status\.html\n/);
    expect(text).toMatch(/\n {2}dashboard +http:\/\/127\.0\.0\.1:8080\/\n/);
    expect(text).toMatch(/\n {2}rootfs +\/tmp\/v8r-rootfs /);
    expect(text).toMatch(/\n {2}consoles +xen, zephyr, linux below/);
    expect(text).toMatch(/\n {2}stop +Ctrl-C \(or SIGTERM\)\n$/);
  });

  it("says how to start the web server when it starts later, and where typed lines go", () => {
    const { statusUrl: _s, dashboardUrl: _d, ...rest } = base;
    const text = formatBanner({ ...rest, serverHint: "not started yet: type nginx (or httpd) on the linux console", inputDomain: "linux" });
    expect(text).not.toContain("status page");
    expect(text).toMatch(/\n {2}web server +not started yet: type nginx \(or httpd\) on the linux console\n/);
    expect(text).toMatch(/\n {2}input +lines typed here go to the linux shell \(rpmsg-demo, nginx, /);
  });

  it("lists telnet consoles one per line and leaves out pages that are not served", () => {
    const text = formatBanner({
      ...base,
      statusUrl: undefined,
      dashboardUrl: undefined,
      consoles: [{ name: "zephyr", where: "telnet 127.0.0.1 5000" }],
      finite: true,
    });
    expect(text).not.toContain("status page");
    expect(text).not.toContain("consoles ");
    expect(text).toMatch(/\n {2}zephyr console +telnet 127\.0\.0\.1 5000\n/);
    expect(text).toContain("stops by itself at the end");
  });
});

describe("formatProgress", () => {
  it.each([
    [0, 3_600_000, "[----------]   0% 0s/1h simulated"],
    [1_800_000, 3_600_000, "[#####-----]  50% 30m/1h simulated"],
    [3_600_000, 3_600_000, "[##########] 100% 1h/1h simulated"],
    [9_999_999, 3_600_000, "[##########] 100% 1h/1h simulated"],
  ])("%d of %d ms -> %s", (done, total, line) => {
    expect(formatProgress(done, total, 10)).toBe(line);
  });

  it("refuses a zero total", () => {
    expect(() => formatProgress(0, 0)).toThrow(RangeError);
  });
});
