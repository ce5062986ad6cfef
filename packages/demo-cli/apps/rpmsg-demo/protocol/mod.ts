/**
 * The rpmsg-demo protocol, defined once for both apps (Zephyr's
 * rpmsg-host and Linux's rpmsg-remote): the limits, the status sample
 * (schema, encoder, validator, type), the `rpmsg-ctrl` commands and
 * replies (schema, codec, types) and the typed control path from the host.
 * The reference document is `PROTOCOL.md` beside this folder.
 *
 * @example
 * ```ts
 * import { encodeCommand, parseStatusSample, PERIOD_RANGE_MS } from "v8r-demo/apps/rpmsg-demo/protocol";
 *
 * const r = parseStatusSample(new TextEncoder().encode('{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000}'));
 * if (r.ok) console.log(r.sample.seq); // 0
 * encodeCommand(1, { cmd: "period", ms: PERIOD_RANGE_MS.min });
 * ```
 * @module
 */
export {
  CTRL_ENDPOINT,
  DEFAULT_PERIOD_MS,
  DEMO_ENDPOINT,
  isValidPeriod,
  LINK_DEFAULTS,
  LIVENESS,
  MAX_PAYLOAD_BYTES,
  PERIOD_RANGE_MS,
  PROTOCOL_VERSION,
  RPMSG_BUFFER_BYTES,
} from "./limits.ts";
export {
  FieldKind,
  STATUS_SCHEMA,
  type FieldKindName,
  type FieldSpec,
  type FieldValue,
  type HeapUse,
  type IpcCounters,
  type NumberFact,
  type SampleOf,
  type StatusFieldKey,
  type StatusSample,
  type StatusSchema,
  type ThreadStatus,
  type ZephyrFacts,
} from "./status-schema.ts";
export {
  createStatusCodec,
  encodeStatusSample,
  parseStatusSample,
  wirePercent,
  type EncodedSample,
  type ParseSampleResult,
  type SampleRejectCode,
  type StatusCodec,
} from "./status-codec.ts";
export {
  CTRL_SCHEMA,
  ctrlCommandSpec,
  type CtrlCommand,
  type CtrlCommandName,
  type CtrlCommandSpec,
  type CtrlFailure,
  type CtrlIntSpec,
  type CtrlReply,
  type CtrlResult,
  type CtrlSchema,
  type CtrlSuccess,
} from "./ctrl-schema.ts";
export { encodeCommand, encodeReply, parseCommand, parseReply, replyProblem, serveCommand, type CtrlHandlers, type ParsedCommand } from "./ctrl-codec.ts";
export { CTRL_REQUEST, CTRL_RESULT, isCtrlRequest, type CodedFailure, type CtrlOutcome, type CtrlRequestMessage, type CtrlResultEvent } from "./platform-control.ts";
