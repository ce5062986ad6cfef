/** @internal Calls of each shared-memory import (module "v8r_shm"), for the import-count test and the bench. */
export interface ImportCounts {
  total: number;
  byName: Record<string, number>;
}

/** @internal A fresh, zeroed counter. */
export function importCounts(): ImportCounts {
  return { total: 0, byName: {} };
}

/** @internal An instrument for RpmsgDevice.create: wraps every "v8r_shm" import so that it counts its calls in `counts`. */
export function countShmImports(counts: ImportCounts): (imports: WebAssembly.Imports) => void {
  return (imports) => {
    const shm = imports["v8r_shm"] as Record<string, (...args: number[]) => unknown>;
    for (const [name, fn] of Object.entries(shm)) {
      counts.byName[name] ??= 0;
      shm[name] = (...args: number[]) => {
        counts.total++;
        counts.byName[name] = (counts.byName[name] ?? 0) + 1;
        return fn(...args);
      };
    }
  };
}
