/**
 * Internal: the few telnet protocol bytes a console server needs
 * (RFC 854 commands, RFC 857 echo, RFC 858 suppress-go-ahead).
 *
 * @module
 */

/** Telnet command bytes. */
export const TELNET = {
  IAC: 255,
  DONT: 254,
  DO: 253,
  WONT: 252,
  WILL: 251,
  SB: 250,
  SE: 240,
  ECHO: 1,
  SUPPRESS_GO_AHEAD: 3,
} as const;

/** Sent on connect when the console takes input: the server echoes, character at a time. */
export const CHARACTER_MODE = new Uint8Array([
  TELNET.IAC, TELNET.WILL, TELNET.ECHO,
  TELNET.IAC, TELNET.WILL, TELNET.SUPPRESS_GO_AHEAD,
]);

type State = "data" | "iac" | "option" | "sub" | "sub-iac";

/**
 * A filter that removes telnet commands (IAC sequences, option negotiation,
 * subnegotiation) from a client's byte stream, keeping its state across
 * chunks; `IAC IAC` becomes one 0xff byte and a NUL after CR is dropped.
 */
export function createTelnetInputFilter(): (chunk: Uint8Array) => Uint8Array {
  let state: State = "data";
  let lastWasCr = false;
  return (chunk) => {
    const out: number[] = [];
    for (const b of chunk) {
      switch (state) {
        case "data":
          if (b === TELNET.IAC) state = "iac";
          else if (!(lastWasCr && b === 0)) out.push(b);
          lastWasCr = b === 13;
          break;
        case "iac":
          if (b === TELNET.IAC) out.push(b);
          state = b === TELNET.SB ? "sub" : b >= TELNET.WILL && b <= TELNET.DONT ? "option" : "data";
          break;
        case "option":
          state = "data";
          break;
        case "sub":
          if (b === TELNET.IAC) state = "sub-iac";
          break;
        case "sub-iac":
          state = b === TELNET.SE ? "data" : "sub";
          break;
      }
    }
    return new Uint8Array(out);
  };
}
