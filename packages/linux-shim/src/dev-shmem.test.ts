// How a Linux program reaches the static shared memory as on a real domU: /dev/mem at the address
// the device tree gives, or a UIO device described in sysfs; the same bytes the other domain sees.
import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import { bootLinux } from "./linux.ts";

const UIO_BOOTARGS = "console=hvc0 uio_pdrv_genirq.of_id=xen,shared-memory-v1";

async function boot(bootargsB = "console=hvc0") {
  const pair = createFakePair({ bootargsB });
  const linux = await bootLinux(pair.b.ctx, { shell: false });
  return { ...pair, linux };
}

describe("reaching the static shared memory through /dev/mem", () => {
  it("the device tree under /proc/device-tree gives the region's address and size; mmap of /dev/mem at it shares the bytes", async () => {
    const { a, linux } = await boot();
    const dir = "/proc/device-tree/reserved-memory/xen-shmem@7a000000";
    expect(await linux.fs.readText(`${dir}/compatible`)).toBe("xen,shared-memory-v1\0");
    expect(await linux.fs.readText(`${dir}/xen,id`)).toBe("rpmsg-shm\0");
    const reg = new DataView((await linux.fs.readFile(`${dir}/reg`)).buffer);
    const [addr, size] = [Number(reg.getBigUint64(0)), Number(reg.getBigUint64(8))];
    expect([addr, size]).toEqual([0x7a000000, 0x10000]);
    expect(await linux.fs.readFile(`/sys/firmware/devicetree/base/reserved-memory/xen-shmem@7a000000/reg`)).toEqual(new Uint8Array(reg.buffer));
    const mem = linux.open("/dev/mem");
    const shm = mem.mmap(size, addr);
    shm.write32(0x100, 0xfeedf00d);
    expect(a.ctx.mapSharedMemory("rpmsg-shm").read32(0x100)).toBe(0xfeedf00d);
    expect(shm.base).toBe(0x7a000000);
    const page = mem.mmap(0x1000, addr + 0x1000);
    expect(page.read32(0)).toBe(a.ctx.mapSharedMemory("rpmsg-shm").read32(0x1000));
  });

  it.each([
    ["an offset that is not page aligned", 0x100, 0x7a000010, "EINVAL"],
    ["a zero length", 0, 0x7a000000, "EINVAL"],
    ["a range past the region's end", 0x11000, 0x7a000000, "EPERM"],
    ["memory outside any region (the domain's RAM)", 0x1000, 0x40000000, "EPERM"],
  ])("mmap of %s fails with %s", async (_what, length, offset, code) => {
    const { linux } = await boot();
    expect(() => linux.open("/dev/mem").mmap(length, offset)).toThrow(expect.objectContaining({ code }) as Error);
  });
});

describe("reaching the static shared memory through UIO", () => {
  it("with uio_pdrv_genirq.of_id naming xen,shared-memory-v1, each region is /dev/uioN with its map in sysfs", async () => {
    const { a, linux } = await boot(UIO_BOOTARGS);
    expect(await linux.fs.readdir("/sys/class/uio")).toEqual(["uio0"]);
    const sys = "/sys/class/uio/uio0";
    expect(await linux.fs.readText(`${sys}/name`)).toBe("xen-shmem@7a000000\n");
    expect(await linux.fs.readText(`${sys}/maps/map0/addr`)).toBe("0x000000007a000000\n");
    const size = Number.parseInt(await linux.fs.readText(`${sys}/maps/map0/size`), 16);
    expect(size).toBe(0x10000);
    expect(await linux.fs.readdir("/dev")).toEqual(["mem", "uio0", "xen"]);
    const uio = linux.open("/dev/uio0");
    const shm = uio.mmap(size, 0);
    shm.write32(8, 42);
    expect(a.ctx.mapSharedMemory("rpmsg-shm").read32(8)).toBe(42);
    expect(() => uio.mmap(size, 4096)).toThrow(expect.objectContaining({ code: "EINVAL", message: expect.stringContaining("map 1") }) as Error);
    expect(() => uio.mmap(size + 4096, 0)).toThrow(expect.objectContaining({ code: "EINVAL" }) as Error);
    await expect(uio.read()).rejects.toMatchObject({ code: "EIO" });
  });

  it("without the parameter there is no UIO device", async () => {
    const { linux } = await boot();
    expect(linux.devices.uio()).toEqual([]);
    expect(await linux.fs.exists("/sys/class/uio")).toBe(false);
    expect(() => linux.open("/dev/uio0")).toThrow(expect.objectContaining({ code: "ENOENT" }) as Error);
  });
});

describe("the kernel's file tree", () => {
  it("serves /proc/cmdline, lists /dev, refuses writes under /sys, and leaves the root filesystem to the rest", async () => {
    const { linux } = await boot(UIO_BOOTARGS);
    expect(await linux.fs.readText("/proc/cmdline")).toBe(`${UIO_BOOTARGS}\n`);
    expect(await linux.fs.readdir("/dev/xen")).toEqual(["evtchn"]);
    await expect(linux.fs.readFile("/dev/mem")).rejects.toMatchObject({ code: "EINVAL" });
    await expect(linux.fs.writeText("/sys/class/uio/uio0/name", "x")).rejects.toMatchObject({ code: "EACCES" });
    await expect(linux.fs.readText("/proc/nope")).rejects.toMatchObject({ code: "ENOENT" });
    await linux.fs.mkdir("/root", { recursive: true });
    await linux.fs.writeText("/root/note", "hi");
    expect(await linux.rootfs.readText("/root/note")).toBe("hi");
    expect(await linux.fs.readdir("/")).toEqual(expect.arrayContaining(["dev", "proc", "root", "sys", "usr"]));
  });

  it("open() gives /dev/xen/evtchn too, and names the devices for a path that is not one", async () => {
    const { linux } = await boot();
    expect(linux.open("/dev/xen/evtchn").boundPorts()).toEqual([]);
    expect(() => linux.open("/etc/passwd")).toThrow(expect.objectContaining({ code: "ENOENT", message: expect.stringContaining("/dev/mem") }) as Error);
  });

  it("the shell's cat and ls see the kernel's files", async () => {
    const { b, linux } = await boot(UIO_BOOTARGS);
    linux.startConsole();
    b.clearOutput();
    b.type("cat /sys/class/uio/uio0/maps/map0/size\r");
    await linux.shell.idle();
    b.type("ls /dev\r");
    await linux.shell.idle();
    expect(b.output()).toContain("0x0000000000010000");
    expect(b.output()).toContain("mem  uio0  xen");
  });
});
