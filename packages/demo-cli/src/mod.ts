/**
 * The v8r64 virtualization demo in one command: Xen dom0less with a Zephyr and a Linux guest talking OpenAMP RPMsg, and a continuously updated status page.
 *
 * This package is being built; see its README for what it will provide.
 * @module
 */

/** The npm name of this package. */
export const packageName = "v8r-demo";
