// Consumer check (c): lint the device tree v8r-demo ships (its export
// "v8r-demo/v8r64-virtualization.dts", a file) with the installed
// @v8r/xen-dom0less. Prints the diagnostics, then "lint ok" when there are
// no errors; run by Node and by Deno.
import { readFile } from "node:fs/promises";
import { formatDiagnostic, lintSource } from "@v8r/xen-dom0less";

const url = new URL(import.meta.resolve("v8r-demo/v8r64-virtualization.dts"));
const text = await readFile(url, "utf8");
const { diagnostics } = lintSource({ text, file: "v8r64-virtualization.dts", platformCpus: 4 });
for (const d of diagnostics) console.log(formatDiagnostic(d));
const errors = diagnostics.filter((d) => d.severity === "error");
if (!text.includes("xen,shm-id") || errors.length > 0) {
  console.error(`${errors.length} error(s) in the bundled device tree (${text.length} bytes read)`);
  process.exitCode = 1;
} else {
  console.log(`lint ok: ${diagnostics.length} diagnostic(s), no errors`);
}
