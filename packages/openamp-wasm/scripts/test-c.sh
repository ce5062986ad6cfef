#!/usr/bin/env bash
# Build and run the native C test with sanitizers; skip when no C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
CC="${CC:-cc}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "[openamp-wasm] test:c skipped: no C compiler ($CC) on PATH"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mapfile -t lib < scripts/lib-sources.txt
san=(-std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  -Iinclude)
"$CC" "${san[@]}" "${lib[@]}" ctest/platform_native.c ctest/test_main.c -o "$out/ctest"
# the API surface an upstream-style program uses must compile against our headers
"$CC" -std=c11 -Wall -Wextra -Werror -Iinclude -fsyntax-only ctest/api_surface.c
echo "[openamp-wasm] running the native host<->remote test (ASan+UBSan)"
"$out/ctest"
