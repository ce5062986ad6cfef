/**
 * One OpenAMP remote device with the two endpoints of the rpmsg-demo
 * protocol and their bound-handshake state.
 */
import type { RpmsgDevice, RpmsgEndpoint } from "@v8r/openamp-wasm";
import { CTRL_ENDPOINT, DEMO_ENDPOINT } from "../protocol/mod.ts";

/** One of the protocol's two endpoints. */
type EndpointName = typeof DEMO_ENDPOINT | typeof CTRL_ENDPOINT;

/** What the link reports to the service. */
export interface DemoLinkEvents {
  /** A non-empty message on `rpmsg-demo` (a view valid during the call). */
  sample(data: Uint8Array): void;
  /** A non-empty message on `rpmsg-ctrl`. */
  ctrlReply(data: Uint8Array): void;
  /** The host's empty message was answered: the endpoint is bound. */
  handshake(name: EndpointName): void;
  /** An endpoint lost its destination (NS destroy or link reset). */
  unbound(name: EndpointName): void;
  /** Something asynchronous failed (reported, never thrown). */
  failed(what: string, err: unknown): void;
}

const EMPTY = new Uint8Array(0);

/**
 * The device and its endpoints. The remote answers every empty message
 * from the host with an empty message (the first one completes the bound
 * handshake; a later one means the host bound again, e.g. after a reset the
 * remote did not see), and never sends an empty message otherwise.
 */
export class DemoLink {
  /** The OpenAMP remote. */
  readonly device: RpmsgDevice;
  /** Peer resets already accounted for. */
  peerResetsSeen = 0;
  readonly #demo: RpmsgEndpoint;
  readonly #ctrl: RpmsgEndpoint;
  readonly #events: DemoLinkEvents;
  #demoBound = false;
  #ctrlBound = false;

  /** Create both endpoints on `device` (they are announced when the link comes up). */
  constructor(device: RpmsgDevice, events: DemoLinkEvents) {
    this.device = device;
    this.#events = events;
    this.#demo = device.createEndpoint({
      name: DEMO_ENDPOINT,
      onMessage: (data) => this.#onMessage(DEMO_ENDPOINT, data),
      onUnbound: () => this.#onUnbound(DEMO_ENDPOINT),
    });
    this.#ctrl = device.createEndpoint({
      name: CTRL_ENDPOINT,
      onMessage: (data) => this.#onMessage(CTRL_ENDPOINT, data),
      onUnbound: () => this.#onUnbound(CTRL_ENDPOINT),
    });
  }

  /** `rpmsg-demo` completed the handshake. */
  get demoBound(): boolean {
    return this.#demoBound;
  }

  /** `rpmsg-ctrl` completed the handshake. */
  get ctrlBound(): boolean {
    return this.#ctrlBound;
  }

  /** Forget both handshakes (the host re-initialised the link). */
  resetHandshakes(): void {
    this.#demoBound = false;
    this.#ctrlBound = false;
  }

  /** Send a command on `rpmsg-ctrl`, waiting up to `timeoutMs` for binding and a buffer. */
  async sendCtrl(data: Uint8Array, timeoutMs: number): Promise<void> {
    await this.#ctrl.send(data, { timeoutMs });
  }

  /** Destroy both endpoints (announcing NS destroy while the link is up, so the host unbinds), then release the device. */
  close(): void {
    try {
      if (this.device.stats().linkUp) {
        this.#demo.destroy();
        this.#ctrl.destroy();
      }
    } catch (err) {
      this.#events.failed("announcing the endpoints' destruction", err);
    }
    this.device.dispose();
  }

  #onMessage(name: EndpointName, data: Uint8Array): void {
    if (data.byteLength === 0) {
      this.#answerHandshake(name);
      return;
    }
    if (name === DEMO_ENDPOINT) this.#events.sample(data);
    else this.#events.ctrlReply(data);
  }

  #answerHandshake(name: EndpointName): void {
    const ept = name === DEMO_ENDPOINT ? this.#demo : this.#ctrl;
    const done = (): void => {
      if (name === DEMO_ENDPOINT) this.#demoBound = true;
      else this.#ctrlBound = true;
      this.#events.handshake(name);
    };
    try {
      ept.trySend(EMPTY);
      done();
    } catch {
      ept.send(EMPTY, { timeoutMs: 1000 }).then(done, (err: unknown) => this.#events.failed(`answering the ${name} handshake`, err));
    }
  }

  #onUnbound(name: EndpointName): void {
    if (name === DEMO_ENDPOINT) this.#demoBound = false;
    else this.#ctrlBound = false;
    this.#events.unbound(name);
  }
}
