import { describe, expect, it } from "vitest";
import { checkCode, RpmsgError, rpmsgErrorName } from "./errors.ts";

describe("RpmsgError", () => {
  it.each([
    [-2001, "RPMSG_ERR_NO_MEM"], [-2002, "RPMSG_ERR_NO_BUFF"], [-2003, "RPMSG_ERR_PARAM"], [-2004, "RPMSG_ERR_DEV_STATE"],
    [-2005, "RPMSG_ERR_BUFF_SIZE"], [-2006, "RPMSG_ERR_INIT"], [-2007, "RPMSG_ERR_ADDR"], [-2008, "RPMSG_ERR_PERM"], [-2009, "RPMSG_EOPNOTSUPP"],
  ])("names %i %s", (code, name) => {
    expect(rpmsgErrorName(code)).toBe(name);
    const err = new RpmsgError(code, "sending");
    expect(err.errno).toBe(code);
    expect(err.code).toBe(name);
    expect(err.message).toBe(`[openamp-wasm] sending: ${name} (${code})`);
  });

  it("checkCode() passes non-negative values and throws for codes", () => {
    expect(checkCode(5, "x")).toBe(5);
    expect(() => checkCode(-2002, "x")).toThrow(RpmsgError);
    expect(() => checkCode(-1, "x")).toThrow(/error -1/);
  });
});
