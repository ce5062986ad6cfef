/**
 * A Zephyr-like guest OS for v8r: kernel API subset, Xen events, an IPC service with an RPMsg backend, and the rpmsg-host application.
 *
 * This package is being built; see its README for what it will provide.
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/zephyr-shim";
