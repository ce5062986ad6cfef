// Runs before each test file (vitest's setupFiles), also when test files
// share a worker and its modules: each file's temporary directories go at
// its end.
import { afterAll } from "vitest";
import { removeTempDirs } from "./test-temp-dirs.ts";

afterAll(removeTempDirs);
