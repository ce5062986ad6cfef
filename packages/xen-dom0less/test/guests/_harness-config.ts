/** Test harness, portable part: device-tree source of small dom0less systems. */
import { loadDom0lessConfig } from "../../src/dom0less-config.ts";
import { parseDts } from "../../src/dts-parser.ts";

/** One domain of a test system. */
export interface TestDomain {
  name: string;
  image?: string;
  bootargs?: string;
  cpus?: number;
  vpl011?: boolean;
  shm?: { id: string; addr: number; size: number; role?: "owner" | "borrower"; noHost?: boolean }[];
  ports?: { port: number; label: string; peer: string; compatible?: string }[];
  /** Domain properties written before the sub-nodes (e.g. `xen,static-mem = <...>; direct-map;`). */
  props?: string;
  /** `xen,enhanced` value (default "no-xenstore"); `null` leaves the property out. */
  enhanced?: string | null;
  extra?: string;
}

/** Device-tree source of a dom0less system with these domains. */
export function dts(domains: TestDomain[]): string {
  const body = domains.map((d) => {
    const shm = (d.shm ?? []).map((s, i) => `
      shm${i} {
        compatible = "xen,domain-shared-memory-v1";
        xen,shm-id = "${s.id}";
        xen,shared-mem = <${s.noHost ? "" : `0x${s.addr.toString(16)} `}0x${s.addr.toString(16)} 0x${s.size.toString(16)}>;
        ${s.role ? `role = "${s.role}";` : ""}
      };`).join("");
    const ports = (d.ports ?? []).map((p) => `
      ${p.label}: evtchn@${p.port.toString(16)} { compatible = "${p.compatible ?? "xen,evtchn-v1"}"; xen,evtchn = <0x${p.port.toString(16)} &${p.peer}>; };`).join("");
    const kernel = d.image === undefined ? `reg = <0x80000000 0x100000>;` : `v8r,image = "${d.image}";`;
    return `
    ${d.name} {
      compatible = "xen,domain";
      #address-cells = <1>;
      #size-cells = <1>;
      memory = <0x0 0x4000>;
      cpus = <${d.cpus ?? 1}>;
      ${d.vpl011 === false ? "" : "vpl011;"}
      ${d.enhanced === null ? "" : `xen,enhanced = "${d.enhanced ?? "no-xenstore"}";`}
      ${d.props ?? ""}
      kernel {
        compatible = "multiboot,kernel", "multiboot,module";
        ${kernel}
        bootargs = "${d.bootargs ?? ""}";
      };${shm}${ports}
      ${d.extra ?? ""}
    };`;
  }).join("");
  return `/dts-v1/;
/ {
  chosen {
    #address-cells = <1>;
    #size-cells = <1>;
    xen,xen-bootargs = "console=dtuart dtuart=serial0 bootscrub=0";
${body}
  };
};
`;
}

/** The typed config of `domains`. */
export function config(domains: TestDomain[]) {
  return loadDom0lessConfig(parseDts(dts(domains), { file: "test.dts" })).config;
}

