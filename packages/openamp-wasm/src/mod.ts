/**
 * OpenAMP RPMsg over virtio and the libmetal API it needs, written in C11,
 * compiled to WebAssembly and driven from TypeScript. Wire-compatible with
 * upstream OpenAMP peers; shared memory is reached only through accessors.
 *
 * @example
 * ```ts
 * import { decodePayloadText, loadOpenAmp, staticVringsLayout, type RpmsgDevice } from "@v8r/openamp-wasm";
 * const shm = { buffer: new SharedArrayBuffer(0x10000) };
 * const layout = staticVringsLayout({ shmSize: 0x10000 }); // num = 32
 * const openamp = await loadOpenAmp();
 * const dev: { host?: RpmsgDevice; remote?: RpmsgDevice } = {};
 * const kick = (to: "host" | "remote") => () => queueMicrotask(() => dev[to]?.notified());
 * dev.host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify: kick("remote") });
 * dev.remote = await openamp.createRpmsgDevice({ role: "remote", layout, shm, notify: kick("host") });
 * dev.remote.createEndpoint({ name: "rpmsg-demo", onMessage: (data) => console.log(decodePayloadText(data)) });
 * const ep = dev.host.createEndpoint({ name: "rpmsg-demo", onMessage: () => {} });
 * await ep.send(new TextEncoder().encode("hello"), { timeoutMs: 1000 }); // waits until bound
 * ```
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/openamp-wasm";

export { checkCode, RPMSG_ERR_UNKNOWN, RpmsgError, RpmsgErrorCode, type RpmsgErrorName, rpmsgErrorName } from "./errors.ts";
export { createShmAccessor, type ShmAccessor, type ShmInput, type ShmRegionWindow, type ShmWindow } from "./shm.ts";
export { staticVringsLayout, type StaticVringsLayout, vringSize } from "./static-vrings-layout.ts";
export { type LayoutRegion, layoutRegions } from "./layout-regions.ts";
export { readRingState, ringIndexOffsets, type RingState, VIRTIO_STATUS, type VringIndexOffsets, type VringState } from "./ring-state.ts";
export { resourceTableBytes, type ResourceTableLayout, type RscVringSpec } from "./resource-table.ts";
export { defaultWasmUrl, loadOpenAmp, type LoadOpenAmpOptions, OpenAmp } from "./openamp.ts";
export { type Clock, realClock, RpmsgDevice, type RpmsgDeviceOptions, type RpmsgStats, type TimerHandle } from "./rpmsg-device.ts";
export { decodePayloadText, type DecodePayloadTextOptions } from "./payload-text.ts";
export { type EndpointOptions, type HeldBuffer, RPMSG_ADDR_ANY, RpmsgEndpoint, type SendOptions, type TxBuffer } from "./rpmsg-endpoint.ts";
export { DEFAULT_WATCHDOG_MS, loadWasiProgram, type ProgramImport, type ProgramImports, type WasiExit, type WasiHost, WasiProgram, type WasiRun, type WasiRunOptions } from "./wasi-program.ts";
export { WasiProgramError, WasiProgramErrorCode, type WasiProgramErrorCodeName } from "./wasi-program-error.ts";
export { memoryText } from "./_memory-text.ts";
export { type MachinePortOptions, type MachineRegion, METAL_LOG_LEVELS } from "./machine-port.ts";
