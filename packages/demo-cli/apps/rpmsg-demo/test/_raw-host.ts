/**
 * Test peer for hostile and unusual input to rpmsg-remote: the Zephyr IPC
 * service (the OS layer, in host role) with the protocol's two endpoints,
 * and nothing of the app. It sends exactly the bytes a test gives (garbage,
 * oversize, bursts, samples with gaps), records what arrives on
 * `rpmsg-ctrl` and never answers it.
 */
import type { DomainContext } from "@v8r/xen-dom0less";
import {
  bootZephyr,
  createRpmsgIpcInstance,
  ipc_service_open_instance,
  ipc_service_register_endpoint,
  ipc_service_send,
  type IpcEndpoint,
} from "@v8r/zephyr-shim";
import { CTRL_ENDPOINT, DEMO_ENDPOINT, encodeStatusSample, type ZephyrFacts } from "../protocol/mod.ts";

const encoder = new TextEncoder();

/** The raw host of one Zephyr boot. */
export interface RawHost {
  /** Endpoints whose bound handshake completed. */
  readonly bound: Set<string>;
  /** Commands received on `rpmsg-ctrl`, as text. */
  readonly commands: string[];
  /** Send bytes (or text) on `rpmsg-demo` as they are. */
  send(data: Uint8Array | string): Promise<void>;
  /** Send a valid sample encoded by the protocol's encoder. */
  sendSample(seq: number, boot?: string, dr?: number): Promise<void>;
}

/** The facts of a small valid sample. */
export function sampleFacts(seq: number, boot = "1a2b3c4d", dr = 0): ZephyrFacts {
  return {
    seq, boot, uptimeMs: 1000 + seq * 1000, periodMs: 1000, loadPct: 12.5,
    threads: [{ name: "main", state: "running", cpu: 12.5 }], threadCount: 1,
    heapUsed: 1024, heapFree: 3072, heapMaxUsed: 1024, ipcTx: seq, ipcRt: 0, ipcRi: 0, ipcDr: dr, ipcQ: 0,
  };
}

/** Start the raw host on `ctx` (a guest main for `bootDemoSystem`). */
export async function startRawHost(ctx: DomainContext, options: { bufferSize?: number } = {}): Promise<RawHost> {
  const k = bootZephyr(ctx, { appName: "raw-host" });
  const inst = createRpmsgIpcInstance(k, { role: "host", ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }) });
  await ipc_service_open_instance(inst);
  const bound = new Set<string>();
  const commands: string[] = [];
  const decoder = new TextDecoder();
  const demo: IpcEndpoint = ipc_service_register_endpoint(inst, { name: DEMO_ENDPOINT, cb: { bound: () => bound.add(DEMO_ENDPOINT) } });
  ipc_service_register_endpoint(inst, {
    name: CTRL_ENDPOINT,
    cb: { bound: () => bound.add(CTRL_ENDPOINT), received: (d) => commands.push(decoder.decode(d.slice())) },
  });
  const send = async (data: Uint8Array | string): Promise<void> => {
    await ipc_service_send(demo, typeof data === "string" ? encoder.encode(data) : data);
  };
  return { bound, commands, send, sendSample: (seq, boot, dr) => send(encodeStatusSample(sampleFacts(seq, boot, dr)).bytes) };
}

/** The commands the raw host received, without the link's own acks (the liveness heartbeat). */
export function userCommands(raw: RawHost): string[] {
  return raw.commands.filter((c) => !c.includes('"cmd":"ack"'));
}
