import { describe, expect, it } from "vitest";
import { XenError } from "./domain-context.ts";
import { createEvtchnState, portPending, raisePort } from "./_evtchn-layout.ts";
import { ChannelTable, createChannelTable } from "./_evtchn-table.ts";
import { bindStaticChannels, DOMID_SELF, EVTCHNSTAT, rebindDomainChannels, XenEventChannelOps } from "./evtchn-ops.ts";

/** d1 and d2 joined by static channel d1:10 <-> d2:10; d3 exists with no channels. */
function system() {
  const table = new ChannelTable(createChannelTable(3));
  bindStaticChannels(table, [
    { domid: 1, maxPort: 1023, ports: [{ port: 10, peerDomid: 2, peerPort: 10 }] },
    { domid: 2, maxPort: 1023, ports: [{ port: 10, peerDomid: 1, peerPort: 10 }] },
    { domid: 3, maxPort: 1023, ports: [] },
  ]);
  const wakes: number[] = [];
  const states = new Map([1, 2, 3].map((d) => [d, new Int32Array(createEvtchnState())]));
  const ops = (domid: number) => new XenEventChannelOps({ domid, name: `d${domid}`, table, state: states.get(domid)!, wake: () => wakes.push(domid) });
  return { table, states, wakes, d1: ops(1), d2: ops(2), d3: ops(3) };
}

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof XenError) return e.code;
    throw e;
  }
  return undefined;
};

describe("event channel hypercalls (Xen's EVTCHNOP semantics)", () => {
  it("status of a static channel is interdomain, of port 0 and a free port closed, beyond max_evtchn_port EINVAL", () => {
    const s = system();
    expect(s.d1.status(DOMID_SELF, 10)).toEqual({ status: EVTCHNSTAT.interdomain, vcpu: 0, interdomain: { dom: 2, port: 10 } });
    expect(s.d1.status(1, 0)).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
    expect(s.d1.status(DOMID_SELF, 11).status).toBe(EVTCHNSTAT.closed);
    expect(code(() => s.d1.status(DOMID_SELF, 1024))).toBe("EINVAL");
  });

  it("status of another domain is EPERM for a domU, of a domain that does not exist ESRCH", () => {
    const s = system();
    expect(code(() => s.d1.status(2, 10))).toBe("EPERM");
    expect(code(() => s.d1.status(9, 10))).toBe("ESRCH");
  });

  it("alloc_unbound gives the lowest free port, unbound for the named domain (DOMID_SELF = the caller)", () => {
    const s = system();
    expect(s.d1.allocUnbound(2)).toBe(1);
    expect(s.d1.allocUnbound(DOMID_SELF)).toBe(2);
    expect(s.d1.status(DOMID_SELF, 1)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: 2 } });
    expect(s.d1.status(DOMID_SELF, 2).unbound).toEqual({ dom: 1 });
  });

  it("alloc_unbound is ENOSPC once ports 1..1023 are all in use", () => {
    const s = system();
    for (let i = 0; i < 1022; i++) s.d3.allocUnbound(1);
    expect(s.d3.allocUnbound(1)).toBe(1023);
    expect(code(() => s.d3.allocUnbound(1))).toBe("ENOSPC");
  });

  it("bind_interdomain joins both ends and sets the new local port pending (events to the unbound port were lost)", () => {
    const s = system();
    const remote = s.d2.allocUnbound(1);
    const local = s.d1.bindInterdomain(2, remote);
    expect(local).toBe(1);
    expect(s.d1.status(DOMID_SELF, local).interdomain).toEqual({ dom: 2, port: remote });
    expect(s.d2.status(DOMID_SELF, remote).interdomain).toEqual({ dom: 1, port: local });
    expect(portPending(s.states.get(1)!, local)).toBe(true);
    expect(s.wakes).toEqual([1]);
  });

  it.each([
    ["a domain that does not exist", 9, 1, "ESRCH"],
    ["a free remote port", 2, 5, "EINVAL"],
    ["a remote port that is already interdomain", 2, 10, "EINVAL"],
    ["a remote port beyond the remote's max_evtchn_port", 2, 4000, "EINVAL"],
  ])("bind_interdomain to %s is %s", (_what, dom, port, err) => {
    const s = system();
    expect(code(() => s.d1.bindInterdomain(dom, port))).toBe(err);
    expect(s.d1.status(DOMID_SELF, 1).status).toBe(EVTCHNSTAT.closed);
  });

  it("bind_interdomain to a port unbound for another domain is EINVAL", () => {
    const s = system();
    const port = s.d2.allocUnbound(3);
    expect(code(() => s.d1.bindInterdomain(2, port))).toBe("EINVAL");
    expect(s.d3.bindInterdomain(2, port)).toBe(1);
  });

  it("closing one end of an interdomain channel leaves the other end unbound for the closer, who can bind it again", () => {
    const s = system();
    s.d1.close(10);
    expect(s.d1.status(DOMID_SELF, 10).status).toBe(EVTCHNSTAT.closed);
    expect(s.d2.status(DOMID_SELF, 10)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: 1 } });
    expect(s.d1.bindInterdomain(2, 10)).toBe(1);
    expect(s.d2.status(DOMID_SELF, 10).interdomain).toEqual({ dom: 1, port: 1 });
  });

  it("close clears the port's pending bit and frees the port for the next allocation; closing it again is EINVAL", () => {
    const s = system();
    raisePort(s.states.get(1)!, 10);
    s.d1.close(10);
    expect(portPending(s.states.get(1)!, 10)).toBe(false);
    expect(code(() => s.d1.close(10))).toBe("EINVAL");
    expect(code(() => s.d1.close(0))).toBe("EINVAL");
    const p = s.d2.allocUnbound(1);
    s.d2.close(p);
    expect(s.d2.allocUnbound(1)).toBe(p);
  });

  it("a domain started again gets its static channels back and the ends its other channels led to become unbound", () => {
    const s = system();
    s.d1.close(10);
    const remote = s.d3.allocUnbound(2);
    const local = s.d2.bindInterdomain(3, remote);
    rebindDomainChannels(s.table, 2, [{ port: 10, peerDomid: 1, peerPort: 10 }]);
    expect(s.d1.status(DOMID_SELF, 10).interdomain).toEqual({ dom: 2, port: 10 });
    expect(s.d2.status(DOMID_SELF, 10).interdomain).toEqual({ dom: 1, port: 10 });
    expect(s.d2.status(DOMID_SELF, local).status).toBe(EVTCHNSTAT.closed);
    expect(s.d3.status(DOMID_SELF, remote)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, unbound: { dom: 2 } });
  });

  it("a domid that is not a number is a TypeError", () => {
    const s = system();
    expect(() => s.d1.allocUnbound(-1)).toThrow(TypeError);
    expect(() => s.d1.bindInterdomain(1.5, 1)).toThrow(TypeError);
  });
});
