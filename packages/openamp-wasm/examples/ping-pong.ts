/**
 * A host and a remote on one SharedArrayBuffer in the same thread; kicks are
 * delivered on the next microtask. Run: `npx tsx packages/openamp-wasm/examples/ping-pong.ts`
 */
import { loadOpenAmp, type RpmsgDevice, staticVringsLayout } from "../src/mod.ts";

/** Exchange `rounds` ping/pong messages and return what the host received. */
export async function pingPong(rounds = 3): Promise<string[]> {
  const shm = { buffer: new SharedArrayBuffer(0x10000) };
  const layout = staticVringsLayout({ shmSize: 0x10000 }); // num = 32, as Zephyr computes it
  const openamp = await loadOpenAmp();
  const devices: { host?: RpmsgDevice; remote?: RpmsgDevice } = {};
  const kick = (to: "host" | "remote") => () => queueMicrotask(() => devices[to]?.notified());
  const host = (devices.host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify: kick("remote") }));
  const remote = (devices.remote = await openamp.createRpmsgDevice({ role: "remote", layout, shm, notify: kick("host") }));
  await remote.ready; // DRIVER_OK seen

  const text = new TextDecoder();
  const echo = remote.createEndpoint({
    name: "rpmsg-demo",
    onMessage: (data) => void echo.send(new TextEncoder().encode(`pong ${text.decode(data.slice())}`), { timeoutMs: 1000 }),
  });
  const replies: string[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const ep = host.createEndpoint({
    name: "rpmsg-demo",
    onMessage: (data) => {
      replies.push(text.decode(data.slice()));
      if (replies.length === rounds) done();
    },
  });
  for (let i = 0; i < rounds; i++) await ep.send(new TextEncoder().encode(`ping ${i}`), { timeoutMs: 1000 });
  await finished;
  host.dispose();
  remote.dispose();
  return replies;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await pingPong());
