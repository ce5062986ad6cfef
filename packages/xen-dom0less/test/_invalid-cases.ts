// Test table shared by the lint and .dtb tests.

/** One invalid fixture per rule: the diagnostics it must give, as [code, line, column]. */
export const INVALID_CASES: readonly (readonly [string, readonly (readonly [string, number, number])[]])[] = [
  ["shm-id-too-long", [["shm-id-too-long", 25, 5]]],
  ["shm-range-mismatch", [["shm-range-mismatch", 47, 5]]],
  ["shm-overlap", [["shm-overlap", 47, 5]]],
  ["shm-multiple-owners", [["shm-multiple-owners", 49, 5]]],
  ["shm-guest-overlap", [["shm-guest-overlap", 47, 5]]],
  ["shm-direct-map-mismatch", [["shm-direct-map-mismatch", 28, 5]]],
  ["evtchn-peer-missing", [["evtchn-peer-missing", 40, 5]]],
  ["evtchn-peer-not-reciprocal", [["evtchn-peer-not-reciprocal", 25, 5]]],
  ["evtchn-duplicate-port", [["evtchn-duplicate-port", 30, 5]]],
  ["evtchn-port-invalid", [["evtchn-port-invalid", 25, 5]]],
  ["evtchn-not-enhanced", [["evtchn-not-enhanced", 42, 4]]],
  ["cpus-over-platform", [["cpus-over-platform", 14, 4]]],
  ["kernel-missing", [["kernel-missing", 9, 3]]],
  ["unknown-property", [["unknown-property", 17, 4]]],
  ["unknown-node", [["unknown-node", 23, 4]]],
  ["property-missing", [["property-missing", 9, 3]]],
  ["property-invalid", [["property-invalid", 16, 4]]],
  ["unresolved-reference", [["unresolved-reference", 6, 13]]],
  ["direct-map-without-static-mem", [["direct-map-without-static-mem", 17, 4]]],
  ["no-domains", [["no-domains", 5, 2]]],
];
