import { loadOpenAmp, type OpenAmp } from "../src/openamp.ts";
import type { RpmsgDevice, RpmsgDeviceOptions } from "../src/rpmsg-device.ts";
import { staticVringsLayout, type StaticVringsLayout } from "../src/static-vrings-layout.ts";

let cached: Promise<OpenAmp> | undefined;
/** The module, loaded once per test file. */
export function openamp(): Promise<OpenAmp> {
  cached ??= loadOpenAmp();
  return cached;
}

/** Host and remote on one SharedArrayBuffer; kicks are queued and delivered by pump(). */
export interface Pair {
  host: RpmsgDevice;
  remote: RpmsgDevice;
  shm: SharedArrayBuffer;
  layout: StaticVringsLayout;
  /** Deliver queued kicks until none are left (bounded). */
  pump(): void;
  kicks: { toHost: number; toRemote: number };
}

/** Create a linked host/remote pair (remote's link is up on return). */
export async function createPair(opts: { shmSize?: number; extra?: Partial<RpmsgDeviceOptions> } = {}): Promise<Pair> {
  const size = opts.shmSize ?? 0x10000;
  const shm = new SharedArrayBuffer(size);
  const layout = staticVringsLayout({ shmSize: size });
  const oa = await openamp();
  const kicks = { toHost: 0, toRemote: 0 };
  const host = await oa.createRpmsgDevice({ role: "host", layout, shm: { buffer: shm }, notify: () => void kicks.toRemote++, ...opts.extra });
  const remote = await oa.createRpmsgDevice({ role: "remote", layout, shm: { buffer: shm }, notify: () => void kicks.toHost++, ...opts.extra });
  const pump = (): void => {
    for (let i = 0; i < 1000 && (kicks.toHost || kicks.toRemote); i++) {
      if (kicks.toHost) { kicks.toHost = 0; host.notified(); }
      if (kicks.toRemote) { kicks.toRemote = 0; remote.notified(); }
    }
  };
  return { host, remote, shm, layout, pump, kicks };
}
