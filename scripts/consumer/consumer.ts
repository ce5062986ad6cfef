// Consumer check (e): what a TypeScript user writes against the installed
// packages, type-checked with moduleResolution "nodenext", the default libs
// (ES and DOM: the packages use web APIs such as WebAssembly) and no skipLibCheck,
// so every declaration file these imports reach is checked too.
import { createPlatform, FVP_BaseR_AEMv8R, InlineExecutor, VirtualClock, type Platform } from "@v8r/fvp-core";
import { nodeWorkerFactory } from "@v8r/fvp-core/node";
import { loadOpenAmp, staticVringsLayout, type RpmsgDevice, type RpmsgEndpoint } from "@v8r/openamp-wasm";
import { formatDiagnostic, lintSource, type Diagnostic } from "@v8r/xen-dom0less";
import * as zephyr from "@v8r/zephyr-shim";
import * as linux from "@v8r/linux-shim";
import { parseOptions } from "v8r-demo";

const platform: Platform = createPlatform(FVP_BaseR_AEMv8R, { executor: new InlineExecutor(), clock: new VirtualClock() });
const factory: typeof nodeWorkerFactory = nodeWorkerFactory;
const diagnostics: readonly Diagnostic[] = lintSource({ text: "/dts-v1/; / { };", file: "x.dts" }).diagnostics;
const lines: string[] = diagnostics.map(formatDiagnostic);
const layout = staticVringsLayout({ shmSize: 0x10000 });
const device: Promise<RpmsgDevice> = loadOpenAmp().then((o) => o.createRpmsgDevice({ role: "host", layout, shm: { buffer: new SharedArrayBuffer(0x10000) }, notify: () => {} }));
const send = (ep: RpmsgEndpoint): Promise<number> => ep.send(new Uint8Array(4), { timeoutMs: 10 });
const shims: number = Object.keys(zephyr).length + Object.keys(linux).length;
const options = parseOptions(["--virtual-time", "--duration", "1s"]);
export { device, factory, lines, options, platform, send, shims };
