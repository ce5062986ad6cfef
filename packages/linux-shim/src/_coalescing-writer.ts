/**
 * Runs an async write whenever asked, but never two at once: requests that
 * arrive while a write runs are merged into one more write afterwards, so
 * the last state always reaches the disk and a burst costs two writes.
 */
export class CoalescingWriter {
  readonly #write: () => Promise<void>;
  readonly #onError: (err: unknown) => void;
  #running: Promise<void> | undefined;
  #dirty = false;

  /** Wrap `write`; its failures go to `onError` and never stop later writes. */
  constructor(write: () => Promise<void>, onError: (err: unknown) => void) {
    this.#write = write;
    this.#onError = onError;
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
    do {
      this.#dirty = false;
      try {
        await this.#write();
      } catch (err) {
        this.#onError(err);
      }
    } while (this.#dirty);
    this.#running = undefined;
  }
}
