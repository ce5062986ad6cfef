import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { serveUartTcp, stripTelnet } from "./node.ts";
import { Uart } from "./uart.ts";

describe("serveUartTcp", () => {
  it("sends UART lines to TCP clients and turns what they type into UART input", async () => {
    const uart = new Uart({ name: "uart0", base: 0x9c09_0000, irq: 37 });
    const server = await serveUartTcp(uart, { port: 0 });
    const typed = new Promise<string>((r) => uart.onInput((b) => r(new TextDecoder().decode(b))));
    const socket = connect(server.port, "127.0.0.1");
    try {
      await new Promise<void>((r) => socket.once("connect", () => r()));
      const received = new Promise<string>((r) => socket.once("data", (d) => r(d.toString())));
      while (server.clients === 0) await new Promise((r) => setTimeout(r, 5));
      uart.write("hello telnet\n");
      expect(await received).toBe("hello telnet\r\n");
      socket.write("k");
      expect(await typed).toBe("k");
    } finally {
      socket.destroy();
      await server.close();
    }
  });

  it("first sends a late client the lines printed before it connected, unless replay is off", async () => {
    const uart = new Uart({ name: "uart0", base: 0x9c09_0000, irq: 37 });
    uart.write("booted\nready\n");
    const replaying = await serveUartTcp(uart, { port: 0 });
    const quiet = await serveUartTcp(uart, { port: 0, replay: false });
    /** Everything a client receives up to and including the next live line. */
    const received = async (server: typeof replaying) => {
      const socket = connect(server.port, "127.0.0.1");
      try {
        let text = "";
        const done = new Promise<string>((r) =>
          socket.on("data", (d) => {
            text += d.toString();
            if (text.endsWith("live\r\n")) r(text);
          }),
        );
        await new Promise<void>((r) => socket.once("connect", () => r()));
        while (server.clients === 0) await new Promise((r) => setTimeout(r, 5));
        uart.write("live\n");
        return await done;
      } finally {
        socket.destroy();
      }
    };
    try {
      expect(await received(replaying)).toBe("booted\r\nready\r\nlive\r\n");
      expect(await received(quiet)).toBe("live\r\n");
    } finally {
      await replaying.close();
      await quiet.close();
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
