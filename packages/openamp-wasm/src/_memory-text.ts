/**
 * Internal: the one reader of text a WebAssembly module hands the host as
 * (pointer, length) in its memory (a WASI program's path or JSON, the
 * OpenAMP module's endpoint names and log lines). The bytes are copied
 * first: browsers' TextDecoder refuses views of shared memory.
 */

const decoder = new TextDecoder();

/** The UTF-8 text at [`ptr`, `ptr + len`) of `memory` (both taken as unsigned 32-bit, as wasm32 passes them). */
export function memoryText(memory: WebAssembly.Memory, ptr: number, len: number): string {
  return decoder.decode(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0).slice());
}
