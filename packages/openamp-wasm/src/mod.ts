/**
 * OpenAMP RPMsg over virtio and the libmetal API it needs, written in C11 and compiled to WebAssembly, driven from TypeScript.
 *
 * This package is being built; see its README for what it will provide.
 * @module
 */

/** The npm name of this package. */
export const packageName = "@v8r/openamp-wasm";
