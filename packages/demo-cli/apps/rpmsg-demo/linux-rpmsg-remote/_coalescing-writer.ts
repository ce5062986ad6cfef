/**
 * Runs an async write whenever asked, but never two at once: requests that
 * arrive while a write runs are merged into one more write afterwards, so
 * the last state always reaches the disk and a burst costs two writes.
 */
export class CoalescingWriter {
  readonly #write: () => Promise<void>;
  readonly #onError: (err: unknown) => void;
  readonly #schedule: ((next: () => void) => void) | undefined;
  #running: Promise<void> | undefined;
  #dirty = false;

  /**
   * Wrap `write`; its failures go to `onError` and never stop later writes.
   * With `schedule`, the write that merges requests made during a write is
   * started through it (e.g. a guest timer, which never fires once the guest
   * is gone, so a dead guest writes nothing more); without it, at once.
   */
  constructor(write: () => Promise<void>, onError: (err: unknown) => void, schedule?: (next: () => void) => void) {
    this.#write = write;
    this.#onError = onError;
    this.#schedule = schedule;
  }

  /** Ask for a write. */
  request(): void {
    if (this.#running) {
      this.#dirty = true;
      return;
    }
    this.#running = this.#loop();
  }

  /** Resolves when no write is running or pending. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    for (;;) {
      this.#dirty = false;
      try {
        await this.#write();
      } catch (err) {
        this.#onError(err);
      }
      if (!this.#dirty) break;
      const schedule = this.#schedule;
      if (schedule !== undefined) await new Promise<void>((resolve) => schedule(resolve));
    }
    this.#running = undefined;
  }
}
