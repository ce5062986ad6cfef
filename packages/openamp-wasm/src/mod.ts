/**
 * OpenAMP RPMsg over virtio and the libmetal API it needs, written in C11,
 * compiled to WebAssembly and driven from TypeScript. Wire-compatible with
 * upstream OpenAMP peers; shared memory is reached only through accessors.
 *
 * @example
 * ```ts
 * import { loadOpenAmp, staticVringsLayout } from "@v8r/openamp-wasm";
 * const shm = { buffer: new SharedArrayBuffer(0x10000) };
 * const layout = staticVringsLayout({ shmSize: 0x10000 });
 * const openamp = await loadOpenAmp();
 * let host, remote;
 * host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify: () => queueMicrotask(() => remote.notified()) });
 * remote = await openamp.createRpmsgDevice({ role: "remote", layout, shm, notify: () => queueMicrotask(() => host.notified()) });
 * const r = remote.createEndpoint({ name: "demo", onMessage: (data) => console.log("remote got", data.length) });
 * const h = host.createEndpoint({ name: "demo", onMessage: () => {} });
 * await remote.ready;
 * await h.send(new TextEncoder().encode("hello"), { timeoutMs: 1000 });
 * ```
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/openamp-wasm";

export { checkCode, RpmsgError, RpmsgErrorCode, type RpmsgErrorName, rpmsgErrorName } from "./errors.ts";
export { createShmAccessor, type ShmAccessor, type ShmInput, type ShmWindow } from "./shm.ts";
export { staticVringsLayout, type StaticVringsLayout, vringSize } from "./static-vrings-layout.ts";
export { resourceTableBytes, type ResourceTableLayout, type RscVringSpec } from "./resource-table.ts";
export { defaultWasmUrl, loadOpenAmp, type LoadOpenAmpOptions, OpenAmp } from "./openamp.ts";
export { type Clock, realClock, RpmsgDevice, type RpmsgDeviceOptions, type RpmsgStats } from "./rpmsg-device.ts";
export { type EndpointOptions, type HeldBuffer, RPMSG_ADDR_ANY, RpmsgEndpoint, type SendOptions, type TxBuffer } from "./rpmsg-endpoint.ts";
