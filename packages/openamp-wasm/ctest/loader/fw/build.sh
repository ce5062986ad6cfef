#!/usr/bin/env bash
# Build the loader test's firmware images from fw.c and fw.ld with clang and lld:
#   fw-arm.elf      ELF32 little-endian (armv7a-none-eabi)
#   fw-aarch64.elf  ELF64 little-endian (aarch64-none-elf)
#   bash ctest/loader/fw/build.sh [OUTDIR]   (default: this directory, where the committed copies live)
# ld.lld -z max-page-size=16 keeps the files small (about 1 KiB); -s drops the symbol tables.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
CLANG="${V8R_CLANG:-clang}"
LLD="${V8R_LLD:-ld.lld}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build() {
  "$CLANG" --target="$1" -ffreestanding -fno-pic -O1 -c "$here/fw.c" -o "$tmp/$2.o"
  "$LLD" -T "$here/fw.ld" --no-pie --build-id=none -z max-page-size=16 -z norelro -s -o "$out/$2.elf" "$tmp/$2.o"
}
build armv7a-none-eabi fw-arm
build aarch64-none-elf fw-aarch64
