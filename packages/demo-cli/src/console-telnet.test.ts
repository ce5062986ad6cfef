import { Uart } from "@v8r/fvp-core";
import { connect, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTelnetConsoles, TelnetConsoleError, type TelnetConsoles } from "./console-telnet.ts";

let consoles: TelnetConsoles | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await consoles?.close();
  consoles = undefined;
});

/** UARTs named like the demo's consoles. */
function uarts(...names: string[]): Record<string, Uart> {
  return Object.fromEntries(names.map((name, i) => [name, new Uart({ name: `uart${i}`, base: 0x9c09_0000 + i * 0x1_0000, irq: 37 + i })]));
}

async function client(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const chunks: Buffer[] = [];
  socket.on("data", (d: Buffer) => chunks.push(d));
  await new Promise((resolve) => socket.once("connect", resolve));
  return { socket, received: () => Buffer.concat(chunks).toString("latin1") };
}

describe("startTelnetConsoles", () => {
  it("opens one port per console and names them for the banner", async () => {
    consoles = await startTelnetConsoles({ consoles: uarts("xen", "zephyr", "linux") });
    const ports = Object.values(consoles.ports);
    expect(new Set(ports).size).toBe(3);
    expect(consoles.endpoints.map((e) => e.name)).toEqual(["xen", "zephyr", "linux"]);
    expect(consoles.endpoints[1]).toEqual({ name: "zephyr", where: `telnet 127.0.0.1 ${consoles.ports.zephyr}` });
  });

  it("greets, replays what its console printed (the prompt too), then streams its own console's output only", async () => {
    const u = uarts("zephyr", "linux");
    u.linux?.write("booted\nroot# ");
    consoles = await startTelnetConsoles({ consoles: u });
    const c = await client(consoles.ports.linux as number);
    await vi.waitFor(() => expect(c.received()).toContain("--- v8r-demo: linux console ---\r\nbooted\r\nroot# "));
    u.zephyr?.write("not for linux\n");
    u.linux?.write("l");
    await vi.waitFor(() => expect(c.received()).toMatch(/root# l$/));
    expect(c.received()).not.toContain("not for linux");
  });

  it("a key typed by a client reaches its guest at once, in character mode", async () => {
    const u = uarts("linux");
    const typed: number[] = [];
    u.linux?.onInput((b) => typed.push(...b));
    consoles = await startTelnetConsoles({ consoles: u });
    const c = await client(consoles.ports.linux as number);
    await vi.waitFor(() => expect([...Buffer.from(c.received(), "latin1").subarray(0, 3)]).toEqual([255, 251, 1]));
    c.socket.write("l");
    await vi.waitFor(() => expect(typed).toEqual([0x6c]));
  });

  it.each([
    { input: false, readOnly: ["xen", "linux"] },
    { input: ["linux"], readOnly: ["xen"] },
  ])("read-only consoles say so and do not ask for character mode (input: $input)", async ({ input, readOnly }) => {
    consoles = await startTelnetConsoles({ consoles: uarts("xen", "linux"), input });
    for (const name of ["xen", "linux"]) {
      const c = await client(consoles.ports[name] as number);
      if (readOnly.includes(name)) await vi.waitFor(() => expect(c.received()).toBe(`--- v8r-demo: ${name} console (read-only) ---\r\n`));
      else await vi.waitFor(() => expect(c.received()).toBe(`\xff\xfb\x01\xff\xfb\x03--- v8r-demo: ${name} console ---\r\n`));
    }
  });

  it("fails clearly when a port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startTelnetConsoles({ consoles: uarts("xen"), basePort: port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TelnetConsoleError);
      expect((err as Error).message).toContain(`opening the xen console on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });

  it("disconnects clients on close", async () => {
    consoles = await startTelnetConsoles({ consoles: uarts("xen") });
    const c = await client(consoles.ports.xen as number);
    const closed = new Promise((resolve) => c.socket.once("close", resolve));
    await consoles.close();
    consoles = undefined;
    await closed;
  });
});
