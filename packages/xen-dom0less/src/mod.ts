/**
 * Xen dom0less as the v8r64 stack uses it: device-tree configuration parser, validator and linter, and a hypervisor with domains, static shared memory and static event channels.
 *
 * This package is being built; see its README for what it will provide.
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/xen-dom0less";
