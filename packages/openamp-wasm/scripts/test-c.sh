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
srcs=(csrc/metal_io.c csrc/metal_sys.c csrc/v8r_shm_io.c csrc/virtqueue.c csrc/virtio.c csrc/rpmsg.c \
  csrc/rpmsg_virtio.c csrc/rpmsg_virtio_io.c csrc/rpmsg_virtio_rx.c csrc/remoteproc_virtio.c \
  ctest/platform_native.c ctest/test_main.c)
"$CC" -std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
  -fno-sanitize-recover=all -Iinclude "${srcs[@]}" -o "$out/ctest"
# the API surface an upstream-style program uses must compile against our headers
"$CC" -std=c11 -Wall -Wextra -Werror -Iinclude -fsyntax-only ctest/api_surface.c
echo "[openamp-wasm] running the native host<->remote test (ASan+UBSan)"
"$out/ctest"
