import { describe, expect, it } from "vitest";
import { pingPong } from "../examples/ping-pong.ts";

describe("the package entry", () => {
  it("runs the README example: ping/pong through a host and a remote", async () => {
    expect(await pingPong(3)).toEqual(["pong ping 0", "pong ping 1", "pong ping 2"]);
  });

});
