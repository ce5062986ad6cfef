/**
 * The default link factory: an RPMsg device of `@v8r/openamp-wasm` with
 * the static-vrings layout over the whole shared memory region.
 *
 * @module
 */
import {
  loadOpenAmp,
  RPMSG_ADDR_ANY,
  RpmsgError,
  RpmsgErrorCode,
  staticVringsLayout,
  type OpenAmp,
  type RpmsgDevice,
  type RpmsgEndpoint,
  type TxBuffer,
} from "@v8r/openamp-wasm";
import {
  LinkError,
  type LinkEndpoint,
  type LinkEndpointOptions,
  type LinkFactory,
  type LinkHeldBuffer,
  type LinkOptions,
  type LinkTxBuffer,
  type RpmsgLink,
} from "./rpmsg-link.ts";

/** Options of {@link createOpenAmpLinkFactory}. */
export interface OpenAmpLinkFactoryOptions {
  /** A loaded module to use (default: `loadOpenAmp()` on first use). */
  readonly openamp?: OpenAmp | Promise<OpenAmp>;
  /** Module source for `loadOpenAmp` (bytes, a compiled module or a URL). */
  readonly wasm?: BufferSource | WebAssembly.Module | URL;
}

/** The OpenAMP error that maps to each link error code. */
function toLinkError(error: unknown): unknown {
  if (!(error instanceof RpmsgError)) return error;
  const code =
    error.errno === RpmsgErrorCode.RPMSG_ERR_NO_BUFF
      ? "ENOMEM"
      : error.errno === RpmsgErrorCode.RPMSG_ERR_BUFF_SIZE
        ? "EMSGSIZE"
        : error.errno === RpmsgErrorCode.RPMSG_ERR_PARAM || error.errno === RpmsgErrorCode.RPMSG_ERR_DEV_STATE
          ? "ENOTCONN"
          : "EIO";
  return new LinkError(code, error.message, { cause: error });
}

class OpenAmpEndpoint implements LinkEndpoint {
  readonly #ep: RpmsgEndpoint;
  readonly #o: LinkOptions;
  readonly #lent = new WeakMap<LinkTxBuffer, TxBuffer>();

  constructor(ep: RpmsgEndpoint, o: LinkOptions) {
    this.#ep = ep;
    this.#o = o;
  }

  get addr(): number {
    return this.#ep.addr;
  }

  trySend(data: Uint8Array): number {
    try {
      return this.#ep.trySend(data);
    } catch (error) {
      throw toLinkError(error);
    }
  }

  async send(data: Uint8Array, timeoutMs: number): Promise<number> {
    // OpenAMP's rpmsg_send fails at once (RPMSG_ERR_ADDR) without a destination; it only waits for buffers
    if (this.#ep.dest === RPMSG_ADDR_ANY) throw new LinkError("ENOTCONN", `[zephyr-shim] sending on "${this.#ep.name}": the endpoint has no destination yet`);
    try {
      return await this.#ep.send(data, { timeoutMs });
    } catch (error) {
      throw toLinkError(error);
    }
  }

  hold(): LinkHeldBuffer {
    try {
      return this.#ep.hold();
    } catch (error) {
      throw toLinkError(error);
    }
  }

  async getTxBuffer(timeoutMs: number): Promise<LinkTxBuffer> {
    const deadline = this.#o.clock.now() + timeoutMs;
    for (;;) {
      try {
        const tx = this.#ep.getTxBuffer();
        const lent: LinkTxBuffer = { data: tx.data, size: tx.data.length };
        this.#lent.set(lent, tx);
        return lent;
      } catch (error) {
        const mapped = toLinkError(error);
        if (!(mapped instanceof LinkError) || mapped.code !== "ENOMEM" || this.#o.clock.now() >= deadline) throw mapped;
      }
      await new Promise<void>((resolve) => this.#o.clock.setTimeout(resolve, 1));
    }
  }

  sendNoCopy(buffer: LinkTxBuffer, len: number): number {
    const tx = this.#lent.get(buffer);
    if (!tx) throw new TypeError("[zephyr-shim] ipc_service_send_nocopy: the TX buffer was not lent by this endpoint, or was sent already");
    try {
      const sent = tx.send(len);
      this.#lent.delete(buffer);
      return sent;
    } catch (error) {
      throw toLinkError(error);
    }
  }

  destroy(): void {
    this.#ep.destroy();
  }
}

class OpenAmpLink implements RpmsgLink {
  readonly maxPayload: number;
  readonly #device: RpmsgDevice;
  readonly #o: LinkOptions;
  readonly #num: number;

  constructor(device: RpmsgDevice, o: LinkOptions, num: number) {
    this.#device = device;
    this.#o = o;
    this.#num = num;
    this.maxPayload = o.bufferSize - 16;
  }

  txBuffers(): { free: number; total: number } {
    return { free: this.#device.stats().freeTxBuffers, total: this.#num };
  }

  get ready(): Promise<void> {
    return this.#device.ready;
  }

  notified(): void {
    this.#device.notified();
  }

  createEndpoint(options: LinkEndpointOptions): LinkEndpoint {
    const ep = this.#device.createEndpoint({
      name: options.name,
      ...(options.dst !== undefined ? { dst: options.dst } : {}),
      onMessage: (data, src) => options.onMessage(data, src),
      onBound: (dst) => options.onBound?.(dst),
      onUnbound: () => options.onUnbound?.(),
    });
    return new OpenAmpEndpoint(ep, this.#o);
  }

  stats(): Readonly<Record<string, number>> {
    const s = this.#device.stats();
    const out: Record<string, number> = {};
    for (const [key, value] of Object.entries(s)) out[key] = typeof value === "boolean" ? Number(value) : (value as number);
    return out;
  }

  dispose(): void {
    this.#device.dispose();
  }
}

/** A link factory over openamp-wasm; the module is loaded once, on first use, and shared by the links it makes. */
export function createOpenAmpLinkFactory(options: OpenAmpLinkFactoryOptions = {}): LinkFactory {
  let loading: Promise<OpenAmp> | undefined = options.openamp ? Promise.resolve(options.openamp) : undefined;
  return async (o) => {
    loading ??= loadOpenAmp(options.wasm ? { wasm: options.wasm } : {});
    const openamp = await loading;
    const layout = staticVringsLayout({ shmSize: o.shm.size, bufferSize: o.bufferSize });
    const device = await openamp.createRpmsgDevice({
      role: o.role,
      layout,
      shm: { buffer: o.shm.buffer, offset: o.shm.byteOffset, length: o.shm.size },
      notify: () => o.notify(),
      physBase: o.physBase,
      onNameService: (name, addr) => o.onNameService(name, addr),
      onError: (error) => o.onError(error),
      clock: o.clock,
    });
    return new OpenAmpLink(device, o, layout.num);
  };
}
