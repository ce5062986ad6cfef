// The server side of web.bench.ts, in its own process so that the load
// generator does not share its event loop or its memory figures: the
// built-in engine ("builtin") serving a status page of `pageBytes` that is
// replaced atomically every second, as the demo's publisher does; or, for
// scale, a bare node:http server answering every request with the page's
// bytes from memory ("bare"), no checks, no files; "builtin-idle" is the
// built-in engine with `idleRelease: true` (memory released once a burst is
// over, as the demo's CLI runs it).
// Args: pageBytes mode. Prints {"port"} when ready; on each stdin line
// {"cmd":"memory"} prints {"rss","heapUsed","newSpace","oldSpace"} (bytes,
// the last two V8's young and old generation sizes) and "cpuUs" (the
// process's CPU time so far); {"cmd":"gc"} runs a full garbage collection
// first (only the "builtin" process runs with --expose-gc for this: the
// bench's evidence of what is live, never part of the figures taken before
// it); {"cmd":"exit"}
// ends it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { getHeapSpaceStatistics } from "node:v8";
import { NodeRootFs } from "../src/rootfs-node.ts";
import { startWebServer } from "../src/web-server.ts";
import { writeFileAtomic } from "../src/write-file-atomic.ts";

const pageBytes = Number(process.argv[2] ?? 16_384);
const mode = process.argv[3] ?? "builtin";
const bare = mode === "bare";
const dir = mkdtempSync(join(tmpdir(), "v8r-web-bench-"));
const fs = new NodeRootFs(dir);
await fs.mkdir("/html", { recursive: true });

let seq = 0;
function page(): string {
  const head = `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>seq ${seq++}</title></head><body>`;
  const tail = "</body></html>\n";
  const row = "<tr><td class=\"name\">rpmsg_host</td><td>12.5 %</td></tr>\n";
  return head + row.repeat(Math.max(0, Math.floor((pageBytes - head.length - tail.length) / row.length))) + tail;
}

await writeFileAtomic(fs, "/html/zephyr-status.html", page());
const publisher = setInterval(() => void writeFileAtomic(fs, "/html/zephyr-status.html", page()), 1000);
const server = bare ? await startBare() : await startWebServer({ root: fs.hostPath("/html"), port: 0, idleRelease: mode === "builtin-idle", log: (line) => process.stderr.write(`${line}\n`) });
console.log(JSON.stringify({ port: server.port }));

async function startBare(): Promise<{ port: number; close(): Promise<void> }> {
  const body = Buffer.from(page());
  const bareServer = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html", "Content-Length": body.length }).end(body));
  await new Promise<void>((resolve) => bareServer.listen({ host: "127.0.0.1", port: 0, backlog: 1024 }, resolve));
  const address = bareServer.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () => new Promise<void>((resolve) => {
      bareServer.closeAllConnections();
      bareServer.close(() => resolve());
    }),
  };
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const { cmd } = JSON.parse(line) as { cmd: string };
  if (cmd === "memory" || cmd === "gc") {
    if (cmd === "gc") (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const spaces = getHeapSpaceStatistics();
    const size = (name: string) => spaces.find((space) => space.space_name === name)?.space_size ?? 0;
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, newSpace: size("new_space"), oldSpace: size("old_space"), cpuUs: cpu.user + cpu.system }));
  } else if (cmd === "exit") {
    clearInterval(publisher);
    void server.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
