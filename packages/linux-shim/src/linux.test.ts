import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { IOCTL_EVTCHN_BIND_STATIC } from "./dev-evtchn.ts";
import { bootLinux } from "./linux.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";

describe("bootLinux", () => {
  it("prints a Linux boot log with the xen-shmem node and the static event channels", async () => {
    const { b } = createFakePair({ ports: [10], bootargsB: "console=hvc0 autorun=0" });
    await bootLinux(b.ctx);
    const out = b.output();
    expect(out).toMatch(/^\[ {4}0\.000000\] Booting Linux on physical CPU/);
    expect(out).toContain("Xen 4.18 support found");
    expect(out).toContain('map non-reusable xen-shmem@7a000000 (xen,id "rpmsg-shm")');
    expect(out).toContain("0x000000007a000000..0x000000007a00ffff (64 KiB)");
    expect(out).toContain("xen:events: static event channels bound by Xen: 10 (0xa)");
    expect(out).toContain("Kernel command line: console=hvc0 autorun=0");
    expect(out.endsWith("root@v8r64-linux:~# ")).toBe(true);
  });

  it("keeps the boot log out of the console with quiet, but in dmesg", async () => {
    const { b } = createFakePair({ bootargsB: "quiet" });
    const linux = await bootLinux(b.ctx);
    expect(b.output()).not.toContain("Booting Linux");
    expect(linux.klog.dmesg().join("\n")).toContain("Booting Linux");
  });

  it("reads its command line with Linux's quoting: a quoted value or word keeps its spaces and loses its quotes", async () => {
    const bootargs = 'console=hvc0 "quiet" msg="two words" "rootfs=/home/Jane Doe/rootfs" uio_pdrv_genirq.of_id=xen,shared-memory-v1';
    const { b } = createFakePair({ bootargsB: bootargs });
    const linux = await bootLinux(b.ctx, { shell: false });
    expect(linux.cmdline.get("msg")).toBe("two words");
    expect(linux.cmdline.get("rootfs")).toBe("/home/Jane Doe/rootfs");
    expect(linux.cmdline.get("uio_pdrv_genirq.of_id")).toBe("xen,shared-memory-v1");
    expect(b.output()).not.toContain("Booting Linux"); // "quiet" is quiet
    expect(linux.devices.uio()).toHaveLength(1);
    expect(await linux.fs.readText("/proc/cmdline")).toBe(`${bootargs}\n`);
  });

  it("timestamps count from boot on the domain clock", async () => {
    const { b, clock } = createFakePair();
    await clock.run(5000);
    const linux = await bootLinux(b.ctx);
    await clock.run(6500);
    expect(linux.klog.log("later")).toBe("[    1.500000] later");
    expect(linux.uptimeMs()).toBe(1500);
  });

  it("creates the status directory on the root filesystem it is given", async () => {
    const { b } = createFakePair();
    const rootfs = new MemoryRootFs();
    const linux = await bootLinux(b.ctx, { rootfs, shell: false });
    expect(linux.rootfs).toBe(rootfs);
    expect((await rootfs.stat("/usr/share/nginx/html")).kind).toBe("directory");
    expect(b.output()).not.toContain(":~# ");
    expect(b.output()).toContain("Mounted root (tmpfs filesystem)");
  });

  it("findSharedMemory maps the region both domains see", async () => {
    const { a, b } = createFakePair();
    const linux = await bootLinux(b.ctx, { shell: false });
    const { node, window } = linux.findSharedMemory("rpmsg-shm");
    expect(node.address).toBe(0x7a000000);
    window.write32(0, 0xcafe);
    expect(a.ctx.mapSharedMemory("rpmsg-shm").read32(0)).toBe(0xcafe);
  });

  it("findSharedMemory fails with ENOENT for an id the device tree does not have", async () => {
    const { b } = createFakePair();
    const linux = await bootLinux(b.ctx, { shell: false });
    expect(() => linux.findSharedMemory("nope")).toThrow(expect.objectContaining({ code: "ENOENT", message: expect.stringContaining('"rpmsg-shm"') }) as Error);
  });

  it("has one /dev/xen/evtchn device per system", async () => {
    const { b } = createFakePair();
    const linux = await bootLinux(b.ctx, { shell: false });
    linux.devices.evtchn().open().ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 });
    expect(() => linux.devices.evtchn().open().ioctl(IOCTL_EVTCHN_BIND_STATIC, { port: 10 })).toThrow(expect.objectContaining({ code: "EBUSY" }) as Error);
  });
});
