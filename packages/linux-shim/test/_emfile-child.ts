// Child of rootfs-node.test.ts, run under a low descriptor limit: takes every
// free descriptor, writes a file through NodeRootFs, and either frees the
// descriptors once the write has been retried ("release") or never ("hold").
// Prints {"result": "ok" | "<code>: <message>", "retries": n}.
import { closeSync, openSync } from "node:fs";
import { NodeRootFs } from "../src/rootfs-node.ts";

const [dir = "", retryMs = "10000", mode = "release"] = process.argv.slice(2);
const fs = new NodeRootFs(dir, { descriptorRetryMs: Number(retryMs) });
const held: number[] = [];

/** Take every descriptor still free (the runtime may free one of its own at any time, so this is repeated). */
function takeAll(): void {
  for (;;) {
    try {
      held.push(openSync("/dev/null", "r"));
    } catch {
      return;
    }
  }
}

let result = "";
// A descriptor the runtime frees just after takeAll() can let a write through untouched: try again then.
for (let attempt = 0; attempt < 5 && fs.descriptorRetries === 0; attempt++) {
  takeAll();
  const write = fs.writeText("/status.txt", "written").then(
    () => "ok",
    (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
  );
  const poll = setInterval(() => {
    if (fs.descriptorRetries === 0) return takeAll();
    clearInterval(poll);
    if (mode === "release") for (const fd of held.splice(0)) closeSync(fd);
  }, 2);
  result = await write;
  clearInterval(poll);
  for (const fd of held.splice(0)) closeSync(fd);
}
console.log(JSON.stringify({ result, retries: fs.descriptorRetries }));
