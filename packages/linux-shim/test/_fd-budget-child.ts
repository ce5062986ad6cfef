// Child of web-server-attacks.test.ts, run under a low descriptor limit: the
// built-in server on a NodeRootFs, while a writer replaces html/status.txt
// (temporary file + rename, as the status publisher does) every 20 ms.
// Prints {"port"}; on {"cmd":"report"} prints {"writes","failures","retries","firstFailure"}.
import { createInterface } from "node:readline";
import { NodeRootFs } from "../src/rootfs-node.ts";
import { startWebServer } from "../src/web-server.ts";

const [dir = ""] = process.argv.slice(2);
const fs = new NodeRootFs(dir);
await fs.mkdir("/html", { recursive: true });
// Idle connections stay for a minute: the test must not pass just because they timed out.
const server = await startWebServer({ root: fs.hostPath("/html"), port: 0, limits: { idleTimeoutMs: 60_000, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 }, log: () => undefined });
let writes = 0;
let failures = 0;
let firstFailure = "";
let busy = false;
const writer = setInterval(() => {
  if (busy) return;
  busy = true;
  const seq = writes + 1;
  fs.writeText("/html/.status.txt.tmp", String(seq))
    .then(() => fs.rename("/html/.status.txt.tmp", "/html/status.txt"))
    .then(() => void (writes = seq), (e: Error) => {
      failures++;
      firstFailure ||= e.message;
    })
    .finally(() => void (busy = false));
}, 20);
console.log(JSON.stringify({ port: server.port }));
createInterface({ input: process.stdin }).on("line", (line) => {
  const { cmd } = JSON.parse(line) as { cmd: string };
  if (cmd === "report") console.log(JSON.stringify({ writes, failures, retries: fs.descriptorRetries, firstFailure }));
  if (cmd === "exit") {
    clearInterval(writer);
    void server.close().then(() => process.exit(0));
  }
});
