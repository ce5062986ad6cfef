import { describe, expect, it } from "vitest";
import { createFakePair } from "../test/_fake-domain.ts";
import type { GuestEvent } from "@v8r/xen-dom0less";
import { isReadFileRequest, LINUX_FILE, type LinuxFileAnswer, LINUX_READ_FILE, MAX_READ_FILE_BYTES, serveFileReads } from "./control-file-reader.ts";
import { MemoryRootFs } from "./rootfs-memory.ts";

/** The published events that are file answers (the fake domain keeps every event as a plain GuestEvent). */
const isAnswer = (e: GuestEvent): e is LinuxFileAnswer => e.type === LINUX_FILE;

async function setup() {
  const { clock, b: linux } = createFakePair();
  const rootfs = new MemoryRootFs({ now: () => clock.now() });
  await rootfs.mkdir("/usr/share/nginx/html", { recursive: true });
  await rootfs.writeText("/usr/share/nginx/html/zephyr-status.html", "<p>seq 7</p>");
  const stop = serveFileReads(linux.ctx, rootfs);
  /** Ask for `path` and return the answer published for it. */
  const read = async (id: number, path: string) => {
    linux.control({ type: LINUX_READ_FILE, id, path });
    await clock.run(clock.now() + 1);
    return linux.published.filter(isAnswer).filter((e) => e.id === id);
  };
  return { rootfs, linux, stop, read };
}

describe("serveFileReads", () => {
  it("answers a read with the file's bytes from the root filesystem", async () => {
    const { read } = await setup();
    const [answer, ...more] = await read(1, "/usr/share/nginx/html/zephyr-status.html");
    expect(more).toEqual([]);
    expect(answer).toMatchObject({ type: LINUX_FILE, id: 1, path: "/usr/share/nginx/html/zephyr-status.html", ok: true });
    expect(new TextDecoder().decode(answer?.ok === true ? answer.data : undefined)).toBe("<p>seq 7</p>");
  });

  it.each([
    { name: "a missing file", path: "/nope", code: "ENOENT" },
    { name: "a directory", path: "/usr/share", code: "EISDIR" },
  ])("answers $name with ok false and code $code", async ({ path, code }) => {
    const { read } = await setup();
    const [answer] = await read(2, path);
    expect(answer).toMatchObject({ ok: false, code });
    expect(answer?.ok === false ? answer.error : "").toContain(path);
  });

  it("refuses a file over the size limit with EFBIG", async () => {
    const { rootfs, read } = await setup();
    await rootfs.writeFile("/big", new Uint8Array(MAX_READ_FILE_BYTES + 1));
    expect((await read(3, "/big"))[0]).toMatchObject({ ok: false, code: "EFBIG" });
  });

  it("ignores other control messages and malformed requests, and stops answering when stopped", async () => {
    const { linux, stop, read } = await setup();
    linux.control({ type: "something-else" });
    linux.control({ type: LINUX_READ_FILE, id: 4, path: "relative/path" });
    linux.control({ type: LINUX_READ_FILE, id: "5", path: "/x" });
    expect(await read(6, "/usr/share/nginx/html/zephyr-status.html")).toHaveLength(1);
    expect(linux.published.filter(isAnswer).map((e) => e.id)).toEqual([6]);
    stop();
    expect(await read(7, "/usr/share/nginx/html/zephyr-status.html")).toEqual([]);
  });

  it.each([
    [{ type: LINUX_READ_FILE, id: 1, path: "/a" }, true],
    [{ type: LINUX_READ_FILE, id: 1.5, path: "/a" }, false],
    [{ type: LINUX_READ_FILE, id: 1, path: "a" }, false],
    [{ type: LINUX_READ_FILE, id: 1 }, false],
    [null, false],
    ["linux.read-file", false],
  ])("isReadFileRequest(%j) is %s", (m, ok) => {
    expect(isReadFileRequest(m)).toBe(ok);
  });
});
