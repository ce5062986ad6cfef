/**
 * Internal: how a WASI program waits, in one of two ways. Where its thread may
 * block (a guest's Worker), a wait calls the host's `idle(timeoutMs)` (block
 * until something happened or the time passed) in a loop until its condition
 * holds. Where it must not (inline, virtual time), a wait returns a promise the
 * program suspends on (Asyncify), settled by the platform clock's timer or by
 * a doorbell ring. Also the watchdog: how long the program ran without waiting.
 */
import type { MaybeAsync } from "./_asyncify.ts";
import type { Clock, TimerHandle } from "./device-options.ts";
import { WasiProgramError } from "./wasi-program-error.ts";

/** The clock and the blocking primitive a program's waits use. */
export interface WaitHost {
  /** The platform clock (virtual or real time). */
  clock: Clock;
  /**
   * Present where the thread may block: block until something happened (an
   * interrupt was taken) or `timeoutMs` passed; false when the program must
   * stop (its domain is going away).
   */
  idle?(timeoutMs: number): boolean;
  /** Host time in ms for the watchdog (performance.now()). */
  hostTime(): number;
  /** Longest run without waiting, in host ms (0: no watchdog). */
  watchdogMs: number;
  /** Name of the program, for messages. */
  name: string;
}

/** The doorbell and every wait of one running program. */
export class Waits {
  readonly #h: WaitHost;
  #pending = false;
  #rings = 0;
  readonly #waiters = new Set<() => void>();
  #stopped: Error | undefined;
  #lastYield: number;
  // made once (platform_poll waits once or more per message): whether the doorbell rang, and taking the ring
  readonly #rang = (): boolean => this.#pending;
  readonly #take = (): number => {
    const got = this.#pending;
    this.#pending = false;
    return got ? 1 : 0;
  };

  /** Waits over `host`. */
  constructor(host: WaitHost) {
    this.#h = host;
    this.#lastYield = host.hostTime();
  }

  /** Whether waits block the thread (else they suspend the program). */
  get blocking(): boolean {
    return this.#h.idle !== undefined;
  }

  /** The doorbell rang: wake a waiting platform_poll (and end sleeps early). */
  ring(): void {
    this.#pending = true;
    this.#rings++;
    if (this.#waiters.size > 0) for (const wake of [...this.#waiters]) wake();
  }

  /** Stop the program at its next wait (or now, if it is waiting). */
  stop(error: Error): void {
    this.#stopped ??= error;
    for (const wake of [...this.#waiters]) wake();
  }

  /** The program resumed (or an import returned after a real wait): the watchdog starts again. */
  touch(): void {
    this.#lastYield = this.#h.hostTime();
  }

  /** Called every 65536 basic blocks the program runs: stop it if it ran too long without waiting. */
  watchdog(): void {
    const limit = this.#h.watchdogMs;
    if (this.#stopped) throw this.#stopped;
    if (limit > 0 && this.#h.hostTime() - this.#lastYield > limit) {
      throw new WasiProgramError("spin", `[openamp-wasm] ${this.#h.name} ran ${limit} ms without waiting (no platform_poll, sleep or other blocking call): stopped by the watchdog`);
    }
  }

  /** platform_poll's wait: 1 when the doorbell rang (consumed), 0 after `timeoutMs`. */
  waitRing(timeoutMs: number): MaybeAsync<number> {
    if (this.#pending) return this.#take();
    return this.#until(this.#rang, this.#h.clock.now() + timeoutMs, this.#take);
  }

  /** libmetal's sleep: `us` microseconds, ended early by a ring that comes meanwhile; 0 is a yield. */
  sleepUs(us: number): MaybeAsync<void> {
    const seen = this.#rings;
    return this.#until(() => this.#rings !== seen, this.#h.clock.now() + us / 1000, () => undefined);
  }

  /** A sleep until platform time `deadline` (POSIX sleeps: no early end); a deadline passed already is a yield. */
  sleepUntil(deadline: number): MaybeAsync<void> {
    return this.#until(() => false, deadline, () => undefined);
  }

  #until<T>(done: () => boolean, deadline: number, finish: () => T): MaybeAsync<T> {
    if (this.#stopped) throw this.#stopped;
    const idle = this.#h.idle;
    if (idle !== undefined) {
      let first = true;
      while (!done()) {
        const left = deadline - this.#h.clock.now();
        if (left <= 0 && !first) break;
        first = false;
        if (!idle(Math.max(0, left))) this.stop(new WasiProgramError("stopped", `[openamp-wasm] ${this.#h.name} was stopped while it waited`));
        if (this.#stopped) throw this.#stopped;
      }
      this.touch();
      return finish();
    }
    return new Promise<T>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const settle = (): void => {
        this.#waiters.delete(wake);
        timer?.cancel();
        if (this.#stopped) reject(this.#stopped);
        else resolve(finish());
      };
      const wake = (): void => {
        if (this.#stopped || done()) settle();
      };
      this.#waiters.add(wake);
      timer = this.#h.clock.setTimeout(settle, Math.max(0, deadline - this.#h.clock.now()));
    });
  }
}
