import { connect, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTelnetInputFilter, TELNET } from "./_telnet.ts";
import { createConsoleMux } from "./console-mux.ts";
import { startTelnetConsoles, TelnetConsoleError, type TelnetConsoles } from "./console-telnet.ts";

let consoles: TelnetConsoles | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await consoles?.close();
  consoles = undefined;
});

function quietMux() {
  return createConsoleMux({ out: { write() {} } });
}

async function client(port: number): Promise<{ socket: Socket; received: () => string; bytes: () => number[] }> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const chunks: Buffer[] = [];
  socket.on("data", (d: Buffer) => chunks.push(d));
  await new Promise((resolve) => socket.once("connect", resolve));
  return { socket, received: () => Buffer.concat(chunks).toString("latin1"), bytes: () => [...Buffer.concat(chunks)] };
}

describe("startTelnetConsoles", () => {
  it("opens one port per console and names them for the banner", async () => {
    consoles = await startTelnetConsoles({ mux: quietMux(), sources: ["xen", "zephyr", "linux"] });
    const ports = Object.values(consoles.ports);
    expect(new Set(ports).size).toBe(3);
    expect(consoles.endpoints[1]).toEqual({ name: "zephyr", where: `telnet 127.0.0.1 ${consoles.ports.zephyr}` });
  });

  it("sends the recent lines, then new lines of its own source only, with CRLF", async () => {
    const mux = quietMux();
    mux.line("zephyr", "booted");
    consoles = await startTelnetConsoles({ mux, sources: ["zephyr", "linux"] });
    const c = await client(consoles.ports.zephyr as number);
    await vi.waitFor(() => expect(c.received()).toContain("booted\r\n"));
    mux.line("linux", "not for zephyr");
    mux.line("zephyr", "sample 1");
    await vi.waitFor(() => expect(c.received()).toContain("sample 1\r\n"));
    expect(c.received()).toContain("zephyr console (read-only)");
    expect(c.received()).not.toContain("not for zephyr");
  });

  it("negotiates character mode and passes typed bytes without telnet commands to onInput", async () => {
    const onInput = vi.fn<(source: string, bytes: Uint8Array) => void>();
    consoles = await startTelnetConsoles({ mux: quietMux(), sources: ["linux"], onInput });
    const c = await client(consoles.ports.linux as number);
    await vi.waitFor(() => expect(c.bytes().slice(0, 3)).toEqual([TELNET.IAC, TELNET.WILL, TELNET.ECHO]));
    c.socket.write(Buffer.from([TELNET.IAC, TELNET.DO, TELNET.ECHO, 0x6c, 0x73, 13, 0]));
    await vi.waitFor(() => expect(onInput).toHaveBeenCalled());
    const typed = onInput.mock.calls.flatMap(([, b]) => [...b]);
    expect(onInput.mock.calls[0]?.[0]).toBe("linux");
    expect(typed).toEqual([0x6c, 0x73, 13]);
  });

  it("fails clearly when a port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startTelnetConsoles({ mux: quietMux(), sources: ["xen"], basePort: port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TelnetConsoleError);
      expect((err as Error).message).toContain(`opening the xen console on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });

  it("disconnects clients on close", async () => {
    consoles = await startTelnetConsoles({ mux: quietMux(), sources: ["xen"] });
    const c = await client(consoles.ports.xen as number);
    const closed = new Promise((resolve) => c.socket.once("close", resolve));
    await consoles.close();
    consoles = undefined;
    await closed;
  });
});

describe("createTelnetInputFilter", () => {
  it.each([
    ["plain bytes", [[0x61, 0x62]], [0x61, 0x62]],
    ["an option command", [[0x61, 255, 253, 1, 0x62]], [0x61, 0x62]],
    ["a command split across chunks", [[0x61, 255], [251], [3, 0x62]], [0x61, 0x62]],
    ["an escaped 0xff", [[255, 255]], [255]],
    ["a subnegotiation", [[255, 250, 24, 1, 255, 240, 0x7a]], [0x7a]],
    ["CR NUL", [[13, 0, 0x61]], [13, 0x61]],
  ])("removes %s", (_name, chunks, expected) => {
    const filter = createTelnetInputFilter();
    const out = chunks.flatMap((c) => [...filter(new Uint8Array(c))]);
    expect(out).toEqual(expected);
  });
});
