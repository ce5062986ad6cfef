// Loads a TypeScript worker module through tsx (Node has no TS loader in Workers by default).
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.url);
