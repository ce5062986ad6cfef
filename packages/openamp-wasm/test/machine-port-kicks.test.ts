import { describe, expect, it } from "vitest";
import { loadWasiProgram, realClock, staticVringsLayout, type WasiRun } from "../src/mod.ts";
import { buildC } from "./_c-build.ts";

const SHM = 0x10000;
const FLAGS_SUPPRESSED = 1; // VRING_AVAIL_F_NO_INTERRUPT / VRING_USED_F_NO_NOTIFY

describe("the machine port's platform_poll and kicks", () => {
  it("a side asks for no kicks on its receive ring except while it waits in platform_poll, and misses no message", async () => {
    const layout = staticVringsLayout({ shmSize: SHM });
    const shm = new SharedArrayBuffer(SHM);
    const u16 = new DataView(shm);
    const num = layout.num;
    // the host's flags on vring 0 (remote -> host) are its avail flags; the remote's on vring 1 (host -> remote) its used flags
    const hostRxFlags = layout.vring0Offset + 16 * num;
    const remoteRxFlags = layout.vring1Offset + Math.ceil((16 * num + 6 + 2 * num) / layout.align) * layout.align;
    const seen = { ping: [] as number[], echo: [] as number[] };
    const runs: { ping?: WasiRun; echo?: WasiRun } = {};
    const out = { ping: "", echo: "" };
    const start = async (who: "ping" | "echo", args: string[]): Promise<WasiRun> => {
      const program = await loadWasiProgram(buildC([`examples/c/${who}.c`]), `${who}.wasm`);
      const peer = who === "ping" ? "echo" : "ping";
      const own = who === "ping" ? hostRxFlags : remoteRxFlags;
      const run = program.start({
        // an hour's poll period: a message left unprocessed without a kick would stop the test
        args: [`${who}.wasm`, "poll_ms=3600000", ...args],
        stdout: (t) => (out[who] += t),
        clock: realClock,
        machine: {
          regions: [{ name: "rpmsg-shm", shm: { buffer: shm } }],
          doorbells: [10],
          notify: () => {
            // a kick is sent from inside the program: its own receive ring says whether it wants kicks meanwhile
            seen[who].push(u16.getUint16(own, true) & FLAGS_SUPPRESSED);
            runs[peer]?.ring();
          },
        },
      });
      runs[who] = run;
      return run;
    };
    const echo = await start("echo", []);
    const ping = await start("ping", ["count=200", "pipeline=16", "quiet"]);
    await expect(ping.exited).resolves.toEqual({ code: 0 });
    await expect(echo.exited).resolves.toEqual({ code: 0 });
    expect(out.ping).toContain("ping: 200 payloads, 200 came back intact, 0 errors");
    // ping sends outside platform_poll, after its first poll: with kicks off every time
    expect(seen.ping.length).toBeGreaterThan(0);
    expect(seen.ping.every((f) => f === FLAGS_SUPPRESSED)).toBe(true);
    // echo sends from its message callback, inside platform_poll's processing: kicks off, but for its name announcement before its first poll
    expect(seen.echo.length).toBeGreaterThanOrEqual(200);
    expect(seen.echo.filter((f) => f !== FLAGS_SUPPRESSED).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
