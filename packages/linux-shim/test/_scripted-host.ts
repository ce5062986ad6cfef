/**
 * A scripted RPMsg host (the Zephyr side) for tests, built directly on
 * openamp-wasm in the host role over domain A of a fake pair: binds the
 * remote's announced endpoints with the empty-message handshake, sends
 * whatever samples a test asks for and answers rpmsg-ctrl commands.
 */
import { loadOpenAmp, type OpenAmp, type RpmsgDevice, type RpmsgEndpoint, staticVringsLayout } from "@v8r/openamp-wasm";
import type { FakeDomain } from "./_fake-domain.ts";

let cached: Promise<OpenAmp> | undefined;
/** The OpenAMP module, loaded once per test file. */
export function openamp(): Promise<OpenAmp> {
  cached ??= loadOpenAmp();
  return cached;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Options of {@link ScriptedHost.create}. */
export interface ScriptedHostOptions {
  readonly shmId?: string;
  readonly port?: number;
  /** Buffer size of the static-vrings layout, both directions (header included); default 512. */
  readonly bufferSize?: number;
  /** Do not answer rpmsg-ctrl commands. */
  readonly silentCtrl?: boolean;
  /** Kick the remote right after (re-)initialising (default true); without it the remote must poll. */
  readonly kickOnInit?: boolean;
  /** Like Zephyr's rpmsg-host: re-initialise the link this long after rpmsg-demo was unbound (default: never). */
  readonly relinkAfterMs?: number;
}

/** The scripted host. */
export class ScriptedHost {
  device!: RpmsgDevice;
  readonly endpoints = new Map<string, RpmsgEndpoint>();
  readonly bound = new Set<string>();
  readonly announced: string[] = [];
  readonly ctrlCommands: unknown[] = [];
  /** Non-empty messages the remote sent on rpmsg-demo (must stay empty). */
  readonly demoMessages: Uint8Array[] = [];
  emptyReplies = 0;
  uptime = 0;
  period = 1000;
  seq = 0;
  silentCtrl: boolean;
  readonly #domain: Pick<FakeDomain, "ctx">;
  readonly #opts: ScriptedHostOptions;
  readonly #port: number;

  private constructor(domain: Pick<FakeDomain, "ctx">, opts: ScriptedHostOptions) {
    this.#domain = domain;
    this.#opts = opts;
    this.#port = opts.port ?? 0xa;
    this.silentCtrl = opts.silentCtrl ?? false;
  }

  /** Create the host device (writes DRIVER_OK) and bind the doorbell. */
  static async create(domain: Pick<FakeDomain, "ctx">, opts: ScriptedHostOptions = {}): Promise<ScriptedHost> {
    const host = new ScriptedHost(domain, opts);
    domain.ctx.evtchn.bind(host.#port, () => host.device.notified());
    await host.#init();
    return host;
  }

  async #init(): Promise<void> {
    const { ctx } = this.#domain;
    const window = ctx.mapSharedMemory(this.#opts.shmId ?? "rpmsg-shm");
    const layout = staticVringsLayout({ shmSize: window.size, bufferSize: this.#opts.bufferSize ?? 512 });
    this.endpoints.clear();
    this.bound.clear();
    this.device = await (await openamp()).createRpmsgDevice({
      role: "host",
      layout,
      shm: { buffer: window.buffer, offset: window.byteOffset, length: window.size },
      physBase: window.base,
      notify: () => ctx.evtchn.send(this.#port),
      clock: { now: () => ctx.clock.now(), sleep: (ms) => new Promise<void>((r) => void ctx.clock.setTimeout(r, ms)) },
      onNameService: (name, addr) => {
        this.announced.push(name);
        ctx.clock.setTimeout(() => this.#bind(name, addr), 0);
      },
    });
    if (this.#opts.kickOnInit !== false) ctx.evtchn.send(this.#port);
  }

  #bind(name: string, addr: number): void {
    const ept = this.device.createEndpoint({ name, dst: addr, onMessage: (data) => this.#onMessage(name, data), onUnbound: () => this.#onUnbound(name) });
    this.endpoints.set(name, ept);
    ept.trySend(new Uint8Array(0));
  }

  /** Names the remote destroyed (NS destroy). */
  readonly unbound: string[] = [];
  reinits = 0;

  #onUnbound(name: string): void {
    this.unbound.push(name);
    this.bound.delete(name);
    const after = this.#opts.relinkAfterMs;
    if (name === "rpmsg-demo" && after !== undefined) this.#domain.ctx.clock.setTimeout(() => void this.reinit(), after);
  }

  #onMessage(name: string, data: Uint8Array): void {
    if (data.byteLength === 0) {
      this.emptyReplies++;
      this.bound.add(name);
      return;
    }
    if (name === "rpmsg-demo") this.demoMessages.push(data.slice());
    if (name !== "rpmsg-ctrl") return;
    const text = dec.decode(data);
    let cmd: { id?: unknown; cmd?: unknown; ms?: unknown } | undefined;
    try {
      cmd = JSON.parse(text) as typeof cmd;
    } catch {
      cmd = undefined;
    }
    this.ctrlCommands.push(cmd ?? text);
    if (this.silentCtrl) return;
    const reply = this.#answer(cmd);
    const ept = this.endpoints.get("rpmsg-ctrl");
    this.#domain.ctx.clock.setTimeout(() => ept?.trySend(enc.encode(JSON.stringify(reply))), 0);
  }

  #answer(cmd: { id?: unknown; cmd?: unknown; ms?: unknown } | undefined): Record<string, unknown> {
    const id = typeof cmd?.id === "number" ? cmd.id : null;
    if (cmd?.cmd === "ping") return { id, ok: true, t: this.uptime };
    if (cmd?.cmd === "period" && typeof cmd.ms === "number" && cmd.ms >= 100 && cmd.ms <= 60000) {
      this.period = cmd.ms;
      return { id, ok: true, per: cmd.ms };
    }
    if (cmd?.cmd === "sample") return { id, ok: true, seq: this.seq };
    return { id, ok: false, err: "unknown or invalid command" };
  }

  /** Send raw bytes on rpmsg-demo. */
  sendRaw(data: Uint8Array | string): void {
    const ept = this.endpoints.get("rpmsg-demo");
    if (!ept) throw new Error("scripted host: rpmsg-demo is not bound");
    ept.trySend(typeof data === "string" ? enc.encode(data) : data);
  }

  /** Send a valid sample with the given seq/boot (and t from seq). */
  sendSample(seq: number, boot = "1a2b3c4d", extra: Record<string, unknown> = {}): void {
    this.seq = seq;
    this.sendRaw(JSON.stringify({ v: 1, seq, boot, t: 1000 + seq * this.period, cpu: 12.5, per: this.period, ...extra }));
  }

  /** Go away like a crashed Zephyr: release the device and clear the status byte. */
  goAway(): void {
    this.device.dispose();
    this.#domain.ctx.mapSharedMemory(this.#opts.shmId ?? "rpmsg-shm").write8(0, 0);
    this.endpoints.clear();
    this.bound.clear();
  }

  /** Re-initialise the link: a fresh host device over the same region (status reset, rings cleared). */
  async reinit(): Promise<void> {
    this.reinits++;
    this.device.dispose();
    await this.#init();
  }
}
