/**
 * Atomic replacement of a file in a root filesystem: write a temporary file
 * in the same directory, then rename it over the target, so a reader (a web
 * server, a browser) sees the old file or the new one, never a partial or
 * missing one.
 *
 * @module
 */
import { guestPathParts } from "./_guest-path.ts";
import type { RootFs } from "./rootfs.ts";

const encoder = new TextEncoder();

function randomSuffix(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Replace `path` atomically: write `<dir>/.<name>.<random>.tmp`, then rename
 * it over `path`. The temporary file is removed when the write or rename fails.
 *
 * @example
 * ```ts
 * await writeFileAtomic(fs, "/usr/share/nginx/html/zephyr-status.json", '{"v":1}');
 * ```
 */
export async function writeFileAtomic(fs: RootFs, path: string, data: Uint8Array | string): Promise<void> {
  const parts = guestPathParts(path);
  const name = parts.pop() ?? "";
  if (name === "") throw new TypeError(`[linux-shim] writeFileAtomic needs a file path, got "${path}"`);
  const dir = `/${parts.join("/")}`;
  const target = `${dir === "/" ? "" : dir}/${name}`;
  const temp = `${dir === "/" ? "" : dir}/.${name}.${randomSuffix()}.tmp`;
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  try {
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
