// Consumer check (b): an RPMsg ping between two devices through the
// installed @v8r/openamp-wasm, a host and a remote on one SharedArrayBuffer.
// Prints one line per reply, then "ping ok"; run by Node and by Deno.
import { loadOpenAmp, staticVringsLayout } from "@v8r/openamp-wasm";

const ROUNDS = 3;
const shm = { buffer: new SharedArrayBuffer(0x10000) };
const layout = staticVringsLayout({ shmSize: 0x10000 });
const openamp = await loadOpenAmp();
const devices = {};
const kick = (to) => () => queueMicrotask(() => devices[to]?.notified());
const host = (devices.host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify: kick("remote") }));
const remote = (devices.remote = await openamp.createRpmsgDevice({ role: "remote", layout, shm, notify: kick("host") }));
await remote.ready;

const text = new TextDecoder();
const bytes = (s) => new TextEncoder().encode(s);
const echo = remote.createEndpoint({
  name: "rpmsg-ping",
  onMessage: (data) => void echo.send(bytes(`pong ${text.decode(data.slice())}`), { timeoutMs: 1000 }),
});
const replies = [];
let done;
const finished = new Promise((resolve) => (done = resolve));
const ep = host.createEndpoint({
  name: "rpmsg-ping",
  onMessage: (data) => {
    replies.push(text.decode(data.slice()));
    if (replies.length === ROUNDS) done();
  },
});
for (let i = 0; i < ROUNDS; i++) await ep.send(bytes(`ping ${i}`), { timeoutMs: 5000 });
let timer;
await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${replies.length} of ${ROUNDS} replies within 10 s`)), 10_000)))]);
clearTimeout(timer);
host.dispose();
remote.dispose();
for (const r of replies) console.log(r);
const expected = Array.from({ length: ROUNDS }, (_, i) => `pong ping ${i}`);
if (JSON.stringify(replies) !== JSON.stringify(expected)) {
  console.error(`replies ${JSON.stringify(replies)}, expected ${JSON.stringify(expected)}`);
  process.exitCode = 1;
} else {
  console.log("ping ok");
}
