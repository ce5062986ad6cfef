// Making the Linux guest's root filesystem ready before anything boots: the
// directories it writes are created one component at a time (Node's
// recursive mkdir never returns on a tree like /proc, which answers ENOENT
// for a parent that exists), a file is written and removed to prove the
// tree can hold files, and the temporary files a killed run left behind are
// removed. A directory that cannot hold the Linux files is refused with a
// clear message instead of a run that never starts.
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describeError } from "@v8r/fvp-core";
import { UsageError } from "./usage-error.ts";

/**
 * Temporary files of the atomic writers: linux-shim's writeFileAtomic
 * (`.NAME.RANDOM.tmp`) and the C rpmsg-remote (`.NAME.tmp`). Only hidden
 * `.tmp` files are ever removed.
 */
const LEFTOVER = /^\.[^/]+\.tmp$/;

/** What {@link prepareRootfs} did. */
export interface RootfsPrep {
  /** Leftover temporary files removed, as paths. */
  readonly removed: readonly string[];
}

/**
 * Create `dir` (a path inside `rootfs`, where Linux writes the status page)
 * if missing, check that it can hold files, and remove the temporary files a
 * killed run left in it. Throws a {@link UsageError} naming the directory and
 * what failed when it cannot.
 * @example
 * ```ts
 * (await prepareRootfs("/tmp/rootfs", "usr/share/nginx/html")).removed; // ["/tmp/rootfs/usr/share/nginx/html/.zephyr-status.html.0a1b2c3d4e5f.tmp"]
 * ```
 */
export async function prepareRootfs(rootfs: string, dir: string): Promise<RootfsPrep> {
  const refuse = (what: string, err: unknown): UsageError =>
    new UsageError(`the root filesystem ${rootfs} (--rootfs) cannot hold the Linux files: ${what} failed (${describeError(err).error}); give --rootfs a directory you can write, or leave it out for a fresh temporary one`, { cause: err });
  const path = join(rootfs, dir);
  await makeDirs(path, refuse);
  const probe = join(path, `.v8r-demo-probe.${process.pid}.tmp`);
  try {
    await writeFile(probe, "v8r-demo checks that it can write here\n");
    await rm(probe, { force: true });
  } catch (err) {
    throw refuse(`writing ${probe}`, err);
  }
  try {
    return { removed: await removeLeftovers(path) };
  } catch (err) {
    throw refuse(`cleaning ${path}`, err);
  }
}

/** `mkdir -p` one component at a time: the missing part is found with stat, each directory made alone. */
async function makeDirs(path: string, refuse: (what: string, err: unknown) => Error): Promise<void> {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    const st = await stat(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT" && dirname(p) !== p) return undefined;
      throw refuse(`reading ${p}`, err);
    });
    if (st === undefined) {
      missing.push(p);
      continue;
    }
    if (!st.isDirectory()) throw refuse(`using ${p} as a directory`, new Error("not a directory"));
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw refuse(`creating ${dir}`, err);
    }
  }
}

async function removeLeftovers(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !LEFTOVER.test(entry.name)) continue;
    const path = join(dir, entry.name);
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
