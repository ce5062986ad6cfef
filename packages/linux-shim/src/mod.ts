/**
 * A Linux-like guest OS for v8r: root filesystem, /dev/xen/evtchn, static shared memory mapping, the rpmsg-remote application and web serving of the status page.
 *
 * This package is being built; see its README for what it will provide.
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/linux-shim";
