// The built-in server under attack: each test is a regression for a way it
// was once broken (see issue 17).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSymlinkSwapper } from "../test/_symlink-swapper.ts";
import { startWebServer, type WebServer } from "./web-server.ts";

let base: string;
let root: string;
let server: WebServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "v8r-web-attack-"));
  root = join(base, "html");
  await mkdir(root);
  await mkdir(join(base, "held"));
  await mkdir(join(base, "outdir"));
  await writeFile(join(base, "secret.txt"), "TOP-SECRET");
  await writeFile(join(base, "outdir", "file.txt"), "TOP-SECRET-DIR");
  await writeFile(join(base, "held", "file.txt"), "inside-dir");
  server = await startWebServer({ root, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (base) await rm(base, { recursive: true, force: true });
});

/** GET `path` at least `total` times, `concurrency` at a time, and until `more()` is false; count the bodies. */
async function hammer(path: string, total: number, concurrency: number, more: () => boolean): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let next = 0;
  const client = async () => {
    while (next < total || more()) {
      next++;
      const res = await fetch(new URL(path, server.url), { signal: AbortSignal.timeout(10_000) });
      const body = res.status === 200 ? await res.text() : (await res.arrayBuffer(), `status ${res.status}`);
      seen.set(body, (seen.get(body) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return seen;
}

describe("builtin engine under attack", () => {
  it.each([
    ["a file", "file", "/swap.txt", "inside"],
    ["a directory", "dir", "/swapdir/file.txt", "inside-dir"],
  ] as const)("never serves a file outside the root while %s is swapped with a link (regression: check-then-open race)", async (_, kind, path, inside) => {
    const swapper = startSymlinkSwapper(kind === "file"
      ? { kind, name: join(root, "swap.txt"), inside, outside: join(base, "secret.txt") }
      : { kind, name: join(root, "swapdir"), inside: join(base, "held"), outside: join(base, "outdir") });
    let seen: Map<string, number>;
    try {
      seen = await hammer(path, 3000, 16, () => swapper.swaps() < 1000);
    } finally {
      expect(await swapper.stop()).toBeGreaterThan(100);
    }
    const bodies = [...seen.keys()];
    expect(bodies.filter((b) => b.includes("TOP-SECRET"))).toEqual([]);
    expect(seen.get(inside) ?? 0).toBeGreaterThan(0); // the race was really run: the inside target was served too
    expect(bodies.every((b) => b === inside || b === "status 404")).toBe(true);
  });
});
