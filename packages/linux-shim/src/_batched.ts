/**
 * Internal: one run of a task per key at a time, shared by every caller that
 * asked before it started. A caller that arrives while a run is in flight
 * does not join it (its result could predate the caller); it waits for the
 * next run, which starts when the current one ends and serves everyone who
 * arrived in between. So each caller gets a result produced after it asked,
 * and a thousand callers at once cost two runs, not a thousand.
 */

/** A reaction that lets a run settle either way. */
const ignore = (): void => undefined;

/** Runs of a task per key, shared by the callers that wait for the same run. */
export class Batched<K, V> {
  readonly #task: (key: K) => Promise<V>;
  readonly #runs = new Map<K, { readonly running: Promise<V>; next: Promise<V> | undefined }>();

  /** Share runs of `task`. */
  constructor(task: (key: K) => Promise<V>) {
    this.#task = task;
  }

  /** A result of the task for `key` produced after this call. */
  get(key: K): Promise<V> {
    const entry = this.#runs.get(key);
    if (entry === undefined) return this.#start(key);
    entry.next ??= entry.running.then(ignore, ignore).then(() => this.#start(key));
    return entry.next;
  }

  #start(key: K): Promise<V> {
    const entry: { running: Promise<V>; next: Promise<V> | undefined } = { running: this.#task(key), next: undefined };
    this.#runs.set(key, entry);
    const done = () => {
      if (this.#runs.get(key) === entry && entry.next === undefined) this.#runs.delete(key);
    };
    entry.running.then(done, done);
    return entry.running;
  }
}
