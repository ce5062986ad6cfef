/**
 * The bundled default device tree, `v8r64-virtualization.dts`, shipped in
 * the package (also as the export `v8r-demo/v8r64-virtualization.dts`).
 *
 * @module
 */
import { readFile } from "node:fs/promises";

/** File name of the bundled device tree. */
export const DEFAULT_CONFIG_NAME = "v8r64-virtualization.dts";

/**
 * Where the bundled device tree may be: next to this module when running
 * from source, `../src/config/` from the built `dist/` files.
 */
export function defaultConfigCandidates(base: string | URL = import.meta.url): URL[] {
  return [new URL(`./${DEFAULT_CONFIG_NAME}`, base), new URL(`../src/config/${DEFAULT_CONFIG_NAME}`, base)];
}

/**
 * Read the text of the bundled device tree.
 *
 * @example
 * ```ts
 * const dts = await readDefaultConfig();
 * dts.includes('xen,shm-id = "rpmsg-shm"'); // true
 * ```
 */
export async function readDefaultConfig(base: string | URL = import.meta.url): Promise<string> {
  const tried: string[] = [];
  for (const url of defaultConfigCandidates(base)) {
    try {
      return await readFile(url, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      tried.push(url.pathname);
    }
  }
  throw new Error(`[v8r-demo] reading the bundled ${DEFAULT_CONFIG_NAME}: not found (looked at ${tried.join(", ")})`);
}
