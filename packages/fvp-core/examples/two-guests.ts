// Boots the FVP_BaseR_AEMv8R model, starts two guests on CPUs 0 and 1 that
// exchange messages through a mapped region and SGIs, prints each UART's
// lines prefixed with the UART name, and exits when the exchange is done.
//
//   tsx packages/fvp-core/examples/two-guests.ts [--workers | --inline] [--rounds N]
import {
  createPlatform,
  type Executor,
  FVP_BaseR_AEMv8R,
  InlineExecutor,
  type Platform,
  PrefixSink,
  RealClock,
  VirtualClock,
} from "../src/mod.ts";
import { nodeWorkerExecutor } from "../src/node.ts";
import { MAILBOX_SIZE } from "./_mailbox.ts";

const USAGE = `usage: two-guests.ts [--workers | --inline] [--rounds N] [--help]
  --workers   run each guest in its own Worker on real time (default)
  --inline    run both guests in this thread on a VirtualClock (deterministic)
  --rounds N  number of ping/pong exchanges (default 5)
  --port N    accepted and ignored: the status web page needs the full demo`;

interface Options {
  mode: "workers" | "inline";
  rounds: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { mode: "workers", rounds: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a === "--workers" || a === "--inline") {
      opts.mode = a === "--inline" ? "inline" : "workers";
    } else if (a === "--rounds" || a === "--port") {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer`);
      if (a === "--rounds") opts.rounds = v;
      else console.error(`note: --port ${v} ignored; this example has no web page (the status page needs the full demo)`);
    } else {
      fail(`unknown argument ${JSON.stringify(a)}`);
    }
  }
  return opts;
}

function fail(msg: string): never {
  console.error(`two-guests: ${msg}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const clock = opts.mode === "inline" ? new VirtualClock() : new RealClock();
  const executor: Executor = opts.mode === "inline" ? new InlineExecutor() : nodeWorkerExecutor();
  const platform = createPlatform(FVP_BaseR_AEMv8R, { clock, executor });
  for (const uart of platform.uarts.slice(0, 2)) uart.attach(new PrefixSink((s) => process.stdout.write(s)));
  platform.trace.on((e) => {
    if (e.type === "guest-crashed") console.error(`guest ${String(e["guest"])} crashed: ${String(e["stack"] ?? e["error"])}`);
  });

  // Static shared memory between the guests, inside DRAM bank 0.
  const shm = platform.memory.map({ base: 0x7fe0_0000, size: 0x1000, name: "ping-pong-shm" });
  const box = (n: number) => platform.memory.window(shm.base + n * MAILBOX_SIZE, MAILBOX_SIZE).describe();
  console.log(`${FVP_BaseR_AEMv8R.name}: ${platform.cpus.length} CPUs, ${opts.mode} mode, region "${shm.name}" at 0x${shm.base.toString(16)}`);

  const { done } = await startGuests(platform, opts.rounds, box);
  if (clock instanceof VirtualClock) {
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished && clock.now() < 60_000) await clock.run(clock.now() + 100);
  } else {
    const timeout = setTimeout(() => fail("the guests did not finish within 20 s"), 20_000);
    await done;
    clearTimeout(timeout);
  }
  const load = platform.cpus.slice(0, 2).map((c) => `cpu${c.index} ${(c.stats().busyMs).toFixed(1)} ms busy`);
  console.log(`exchange finished at ${clock.now().toFixed(1)} ms (${load.join(", ")})`);
  await platform.shutdown();
}

/** Start pong, then ping; `done` resolves with ping's "done" message. */
async function startGuests(platform: Platform, rounds: number, box: (n: number) => unknown): Promise<{ done: Promise<unknown> }> {
  const examples = new URL(".", import.meta.url);
  await platform.startGuest({
    name: "pong",
    image: new URL("pong-guest.ts", examples),
    cpus: [1],
    uart: "uart1",
    init: { inbox: box(0), outbox: box(1), peerCpu: 0 },
  });
  const ping = await platform.startGuest({
    name: "ping",
    image: new URL("ping-guest.ts", examples),
    cpus: [0],
    uart: "uart0",
    init: { outbox: box(0), inbox: box(1), peerCpu: 1, rounds },
  });
  void ping.exited.then((e) => e.state === "crashed" && fail(`ping crashed: ${e.error}`));
  return { done: new Promise((resolve) => ping.onMessage(resolve)) };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
