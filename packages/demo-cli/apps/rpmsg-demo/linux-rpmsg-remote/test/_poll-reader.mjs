// Worker used by the atomic-replacement test: polls files until told to stop
// and counts reads that were partial or found no file.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const { files, stop } = workerData;
const flag = new Int32Array(stop);
const result = { reads: 0, partial: 0, missing: 0, examples: [] };
while (Atomics.load(flag, 0) === 0) {
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      if (e.code === "ENOENT") result.missing++;
      else throw e;
      continue;
    }
    result.reads++;
    const complete = file.endsWith(".json") ? isJson(text) : text.startsWith("<!DOCTYPE html>") && text.endsWith("</html>\n");
    if (!complete) {
      result.partial++;
      if (result.examples.length < 3) result.examples.push(text.slice(-80));
    }
  }
}
parentPort.postMessage(result);

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
