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
# the twin's objects come first: its rpmsg_virtio_shm_pool_get_buffer replaces the library's (both are weak, as upstream declares it)
"$CC" "${san[@]}" ctest/twin/*.c ctest/platform_native.c "${lib[@]}" -o "$out/twin"
"$CC" "${san[@]}" "${lib[@]}" ctest/platform_native.c examples/c/rpmsg-echo.c -o "$out/rpmsg-echo"
"$CC" "${san[@]}" "${lib[@]}" ctest/platform_native.c ctest/loader/*.c -o "$out/loader"
"$CC" "${san[@]}" "${lib[@]}" ctest/platform_native.c examples/c/load-firmware.c -o "$out/load-firmware"
# upstream-style platform and application code compiles against the headers (with clang too, when present)
for cc in "$CC" clang; do
  if command -v "$cc" >/dev/null 2>&1; then
    "$cc" -std=c11 -Wall -Wextra -Werror -Iinclude -fsyntax-only ctest/api_surface.c ctest/twin/*.c examples/c/load-firmware.c
  fi
done
echo "[openamp-wasm] running the native host<->remote test (ASan+UBSan)"
"$out/ctest"
echo "[openamp-wasm] running the native twin: the public API end to end (ASan+UBSan)"
"$out/twin"
echo "[openamp-wasm] running the ELF loader test on the committed images, ELF32 and ELF64 (ASan+UBSan)"
"$out/loader" ctest/loader/fw/fw-arm.elf ctest/loader/fw/fw-aarch64.elf
# and on images built now from ctest/loader/fw/fw.c, when clang and lld are here
if command -v "${V8R_CLANG:-clang}" >/dev/null 2>&1 && command -v "${V8R_LLD:-ld.lld}" >/dev/null 2>&1; then
  bash ctest/loader/fw/build.sh "$out/fw"
  echo "[openamp-wasm] running the ELF loader test on images just built with clang and lld"
  "$out/loader" "$out/fw/fw-arm.elf" "$out/fw/fw-aarch64.elf"
fi
echo "[openamp-wasm] running the README's worked example (examples/c/rpmsg-echo.c)"
"$out/rpmsg-echo" | tee "$out/echo.txt"
grep -qx 'host got 25 bytes from 1024: zero copy, 496 bytes free' "$out/echo.txt" ||
  { echo "[openamp-wasm] examples/c/rpmsg-echo.c did not print the echoes it should" >&2; exit 1; }
echo "[openamp-wasm] running the README's loader example (examples/c/load-firmware.c)"
"$out/load-firmware" ctest/loader/fw/fw-arm.elf | tee "$out/load.txt"
grep -qx 'entry 0x100000, resource table at 0x10c000: version 1, 3 entries, 176 bytes' "$out/load.txt" &&
  grep -qx 'first words at 0x101000: c0def00d 12345678' "$out/load.txt" ||
  { echo "[openamp-wasm] examples/c/load-firmware.c did not print what it loaded" >&2; exit 1; }
