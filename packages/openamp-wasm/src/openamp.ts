import { loadBytes } from "./_load-bytes.ts";
import { RpmsgDevice, type RpmsgDeviceOptions } from "./rpmsg-device.ts";

/** Where loadOpenAmp() gets the module from. */
export interface LoadOpenAmpOptions {
  /** The module: bytes, a compiled module (e.g. sent to a Worker) or a URL. Default: the openamp.wasm beside this package. */
  wasm?: BufferSource | WebAssembly.Module | URL;
}

/** A loaded OpenAMP module; creates any number of devices, each with its own instance. */
export class OpenAmp {
  /** The compiled module (can be posted to Workers and passed back to loadOpenAmp). */
  readonly module: WebAssembly.Module;

  /** @internal Use {@link loadOpenAmp}. */
  constructor(module: WebAssembly.Module) {
    this.module = module;
  }

  /** Create an RPMsg device over shared memory (one wasm instance, private memory). */
  createRpmsgDevice(opts: RpmsgDeviceOptions): Promise<RpmsgDevice> {
    return RpmsgDevice.create(this.module, opts);
  }
}

/** URL of the packaged openamp.wasm. */
export const defaultWasmUrl: URL = new URL("../wasm/openamp.wasm", import.meta.url);

/**
 * Load the OpenAMP module.
 * @example
 * const openamp = await loadOpenAmp();
 * const host = await openamp.createRpmsgDevice({ role: "host", layout, shm, notify });
 */
export async function loadOpenAmp(options: LoadOpenAmpOptions = {}): Promise<OpenAmp> {
  const src: object = options.wasm ?? defaultWasmUrl;
  if (src instanceof WebAssembly.Module) return new OpenAmp(src);
  const bytes = src instanceof URL ? await loadBytes(src) : (src as BufferSource);
  return new OpenAmp(await WebAssembly.compile(bytes));
}
