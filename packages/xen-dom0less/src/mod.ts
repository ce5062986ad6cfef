/**
 * Xen dom0less as the v8r64 stack uses it: device-tree configuration parser, validator and
 * linter, and a hypervisor with domains, static shared memory and static event channels.
 *
 * @example Lint a dom0less device tree and read its typed configuration
 * ```ts
 * import { formatDiagnostic, lint, loadDom0lessConfig, parseDts } from "@v8r/xen-dom0less";
 *
 * const text = `/dts-v1/;
 * / { chosen { domU1 { compatible = "xen,domain"; memory = <0 0x4000>; cpus = <1>; vpl011;
 *       kernel { compatible = "multiboot,kernel", "multiboot,module"; v8r,image = "./guest.js"; }; }; }; };`;
 * const tree = parseDts(text, { file: "xen.dts" });
 * for (const d of lint(tree)) console.log(formatDiagnostic(d));
 * const { config } = loadDom0lessConfig(tree);
 * console.log(config.domains[0]?.memoryKiB); // 16384
 * ```
 * @module
 */

// --- configuration: parse, model, lint ---
export { ConfigError } from "./config-error.ts";
export { ConfigFileError, MAX_CONFIG_BYTES, type ConfigFileErrorCode } from "./config-file-error.ts";
export {
  CONFIG_ERROR_CODES,
  LINT_CODES,
  LINT_RULES,
  LINT_WARNING_CODES,
  formatDiagnostic,
  sortDiagnostics,
  type ConfigErrorCode,
  type Diagnostic,
  type DiagnosticCode,
  type LintCode,
  type Severity,
  type SourceLocation,
} from "./diagnostic.ts";
export {
  cellsToNumber,
  findByPhandle,
  MAX_NODE_DEPTH,
  findNode,
  getProperty,
  isCompatible,
  propertyCells,
  propertyString,
  propertyStrings,
  readU32,
  walkNodes,
  type DeviceTree,
  type DtMemoryReservation,
  type DtNode,
  type DtProperty,
  type DtReference,
} from "./device-tree.ts";
export { parseDts, resolveIncludePath, type ParseDtsOptions } from "./dts-parser.ts";
export { readDtb, type ReadDtbOptions } from "./dtb-reader.ts";
export {
  DOMAIN_CAPS,
  loadDom0lessConfig,
  type Dom0Config,
  type Dom0lessConfig,
  type DomainConfig,
  type DomainEvtchnConfig,
  type DomainShmMapping,
  type EvtchnEndConfig,
  type EvtchnPairConfig,
  type KernelModuleConfig,
  type LoadedConfig,
  type MemoryRange,
  type ShmRegionConfig,
  type ShmRole,
  type V8rEl1Msa,
  type XenEnhanced,
} from "./dom0less-config.ts";
export {
  DEFAULT_PLATFORM_CPUS,
  isDtb,
  lint,
  lintSource,
  validateDom0less,
  type LintOptions,
  type LintResult,
  type LintSourceInput,
  type XenArch,
} from "./lint.ts";
export { GUEST_RAM_BANKS, guestRamRanges } from "./guest-memory.ts";
export { type Bootarg, BootargError, bootargFlag, bootargInt, bootargValueProblem, bootargWords, formatBootargs, parseBootargs, splitBootargs, type BootargRange } from "./bootargs.ts";
export { type DomainProgramEnv, type DomainProgramEvents, type DomainProgramImage, type DomainProgramRun, envForProgram, type ProgramExitEvent, programName, runDomainProgram, startDomainWasi, stopDomainWasi } from "./domain-program.ts";
// --- end of configuration exports ---

// --- hypervisor: domains, static shm, static event channels, lifecycle, faults ---
export {
  XenErrno,
  XenError,
  type DomainContext,
  type EventChannels,
  type EventHandler,
  type GuestConsole,
  type InterruptLine,
  type ReservedMemoryNode,
  type ShutdownReason,
  type XenErrnoName,
} from "./domain-context.ts";
export { bootXen, xenRuntimeUrl, type BootXenOptions } from "./boot-xen.ts";
export { Xen, type XenParts } from "./hypervisor.ts";
export type { CrashPolicy, Domain, DomainHost, DomainInfo, DomainRecord, DomainState } from "./domain.ts";
export { XEN_BOOT_ERROR_CODES, XenBootError, type XenBootErrorCode } from "./xen-boot-error.ts";
export { XEN_LOG_PREFIX, XEN_VERSION } from "./boot-log.ts";
export { DEFAULT_FAULT_SEED, type FaultPlan, type SendFaultPlan } from "./faults.ts";
export {
  FAULT_KINDS,
  faultKind,
  isSendFault,
  MAX_CORRUPT_BYTES,
  type CorruptFault,
  type CrashFault,
  type DestroyFault,
  type DelayFault,
  type DropFault,
  type DuplicateFault,
  type Fault,
  type PauseFault,
  type RestartFault,
  type SendFault,
  type TimedFault,
} from "./fault-kinds.ts";
export type {
  AnyFaultKind,
  FaultBase,
  FaultCheckTarget,
  FaultRegion,
  FaultRng,
  FaultSpecItem,
  FaultSpecWriter,
  FaultTarget,
  SendFate,
  SendFaultBase,
  SendFaultKind,
  ShmRange,
  TimedFaultBase,
  TimedFaultKind,
} from "./fault-kind.ts";
export type { StaticPort } from "./event-channel.ts";
export { DOMID_SELF, EVTCHNSTAT, type EventChannelOps, type EvtchnStatus } from "./evtchn-ops.ts";
export { EVTCHN_2L_PORTS } from "./_evtchn-layout.ts";
export type { GuestEvent, GuestStamp, StampedGuestEvent, XenBootedEvent, XenBusEvent, XenDomainEvent, XenFaultEvent, XenTraceEvent } from "./trace-events.ts";
export { type DomainProgramChannel, domainProgramChannel, type ProgramMemory } from "./domain-program-channel.ts";
// --- end of hypervisor exports ---
