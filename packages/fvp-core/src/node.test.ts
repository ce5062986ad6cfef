import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createTelnetInputFilter, serveUartTcp, stripTelnet } from "./node.ts";
import { Uart } from "./uart.ts";

/** Character mode, as a console that takes input announces it: IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD. */
const CHARACTER_MODE = "\xff\xfb\x01\xff\xfb\x03";

/** A client of `port`: everything it received so far (latin1, so telnet bytes stay visible) and a way to wait for more. */
async function client(port: number) {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  const waiters = new Set<() => void>();
  socket.on("data", (d: Buffer) => {
    text += d.toString("latin1");
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  return {
    socket,
    received: () => text,
    /** Resolve once the received text ends with `end`. */
    until: (end: string) =>
      new Promise<string>((resolve) => {
        const check = () => {
          if (!text.endsWith(end)) return;
          waiters.delete(check);
          resolve(text);
        };
        waiters.add(check);
        check();
      }),
  };
}

const newUart = () => new Uart({ name: "uart0", base: 0x9c09_0000, irq: 37 });

describe("serveUartTcp", () => {
  it("switches the client to character mode, streams output as written (CRLF) and passes typed bytes without telnet commands", async () => {
    const uart = newUart();
    const server = await serveUartTcp(uart, { port: 0, greeting: "--- uart0 ---" });
    const typed: number[] = [];
    uart.onInput((b) => typed.push(...b));
    const c = await client(server.port);
    try {
      await c.until("--- uart0 ---\r\n");
      expect(c.received()).toBe(`${CHARACTER_MODE}--- uart0 ---\r\n`);
      uart.write("hello telnet\nroot# ");
      await c.until("root# ");
      c.socket.write(Buffer.from([0xff, 0xfd, 0x01, 0x6c, 0x73, 13, 0]));
      while (typed.length < 3) await new Promise((r) => setTimeout(r, 5));
      expect(typed).toEqual([0x6c, 0x73, 13]);
      uart.write("l");
      uart.write("s\r");
      uart.write("\nok\n");
      expect(await c.until("ok\r\n")).toBe(`${CHARACTER_MODE}--- uart0 ---\r\nhello telnet\r\nroot# ls\r\nok\r\n`);
    } finally {
      c.socket.destroy();
      await server.close();
    }
  });

  it("first sends a late client the kept lines and the unfinished one, unless replay is off", async () => {
    const uart = newUart();
    uart.write("booted\nready\nroot# ");
    const replaying = await serveUartTcp(uart, { port: 0, input: false });
    const quiet = await serveUartTcp(uart, { port: 0, input: false, replay: false });
    try {
      const a = await client(replaying.port);
      expect(await a.until("root# ")).toBe("booted\r\nready\r\nroot# ");
      const b = await client(quiet.port);
      while (quiet.clients === 0) await new Promise((r) => setTimeout(r, 5));
      uart.write("x");
      expect(await b.until("x")).toBe("x");
      a.socket.destroy();
      b.socket.destroy();
    } finally {
      await replaying.close();
      await quiet.close();
    }
  });

  it("a read-only console ignores what clients type and does not ask for character mode", async () => {
    const uart = newUart();
    const server = await serveUartTcp(uart, { port: 0, input: false, greeting: "ro" });
    let typed = 0;
    uart.onInput(() => typed++);
    const c = await client(server.port);
    try {
      expect(await c.until("ro\r\n")).toBe("ro\r\n");
      c.socket.end("ls\r\n");
      // the server reads what was sent before it sees the client close
      while (server.clients > 0) await new Promise((r) => setTimeout(r, 5));
      expect(typed).toBe(0);
    } finally {
      c.socket.destroy();
      await server.close();
    }
  });

  it("closes a connection beyond maxClients on arrival and keeps serving the others", async () => {
    const uart = newUart();
    const server = await serveUartTcp(uart, { port: 0, input: false, replay: false, maxClients: 2 });
    try {
      const a = await client(server.port);
      const b = await client(server.port);
      const c = await client(server.port);
      await new Promise<void>((r) => (c.socket.closed ? r() : c.socket.once("close", () => r())));
      while (server.clients < 2) await new Promise((r) => setTimeout(r, 5));
      uart.write("still here\n");
      await Promise.all([a.until("still here\r\n"), b.until("still here\r\n")]);
      expect(server.clients).toBe(2);
      expect(c.received()).toBe("");
      a.socket.destroy();
      b.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it("says which UART and port when the port is taken, with the Node error as cause", async () => {
    const uart = newUart();
    const first = await serveUartTcp(uart, { port: 0 });
    try {
      const err = await serveUartTcp(uart, { port: first.port }).catch((e: unknown) => e);
      expect((err as Error).message).toContain(`serving uart0 over TCP on port ${first.port}`);
      expect(((err as Error).cause as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
    } finally {
      await first.close();
    }
  });
});

describe("stripTelnet", () => {
  it.each([
    { name: "plain bytes", input: [0x61, 0x62], output: [0x61, 0x62] },
    { name: "option negotiation", input: [255, 251, 1, 0x61, 255, 253, 3], output: [0x61] },
    { name: "subnegotiation", input: [0x61, 255, 250, 24, 0, 0x78, 255, 240, 0x62], output: [0x61, 0x62] },
    { name: "escaped 0xff", input: [255, 255], output: [255] },
    { name: "two-byte command", input: [255, 241, 0x63], output: [0x63] },
  ])("keeps only data bytes: $name", ({ input, output }) => {
    expect([...stripTelnet(Uint8Array.from(input))]).toEqual(output);
  });
});

describe("createTelnetInputFilter", () => {
  it.each([
    ["plain bytes", [[0x61, 0x62]], [0x61, 0x62]],
    ["an option command", [[0x61, 255, 253, 1, 0x62]], [0x61, 0x62]],
    ["a command split across chunks", [[0x61, 255], [251], [3, 0x62]], [0x61, 0x62]],
    ["an escaped 0xff", [[255, 255]], [255]],
    ["a subnegotiation split across chunks", [[255, 250, 24], [1, 255], [240, 0x7a]], [0x7a]],
    ["CR NUL", [[13, 0, 0x61]], [13, 0x61]],
    ["CR then NUL in the next chunk", [[13], [0, 0x61]], [13, 0x61]],
  ])("removes %s", (_name, chunks, expected) => {
    const filter = createTelnetInputFilter();
    const out = chunks.flatMap((c) => [...filter(new Uint8Array(c))]);
    expect(out).toEqual(expected);
  });
});
