#!/usr/bin/env bash
# Build the demo's C apps with v8r-cc (clang + wasi-libc + binaryen, see @v8r/openamp-wasm):
#   zephyr-rpmsg-host-c/rpmsg-host.wasm      rpmsg-host in C (Zephyr; the Zephyr C API of @v8r/zephyr-shim)
#   linux-rpmsg-remote-c/rpmsg-remote.wasm   rpmsg-remote in C (Linux)
# and record the hash of their inputs in c/apps.sha256.
#
#   bash apps/rpmsg-demo/c/build-apps.sh          rebuild both and rewrite c/apps.sha256
#   bash apps/rpmsg-demo/c/build-apps.sh --check  rebuild into a temp dir; fail if a byte differs from the committed ones
#   bash apps/rpmsg-demo/c/build-apps.sh --hash   print the source hash only
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd ../../../.. && pwd)"
openamp="$root/packages/openamp-wasm"
zephyr_include="$root/packages/zephyr-shim/include"

FLAGS=(-std=c11 -Wall -Wextra -Werror -O2 -Ic)
COMMON=(c/rd_buf.c c/rd_js.c c/rd_json.c c/rd_json_stringify.c c/rd_status.c c/rd_status_parse.c c/rd_ctrl.c c/rd_events.c)
HOST=(zephyr-rpmsg-host-c/*.c)
REMOTE=(linux-rpmsg-remote-c/*.c)

# Every input, one path a line (relative to the repository): sources, headers, this script, the libraries' hash, v8r-cc.
hash_inputs() {
  {
    printf '%s\n' c/*.c c/*.h c/build-apps.sh zephyr-rpmsg-host-c/*.c zephyr-rpmsg-host-c/*.h linux-rpmsg-remote-c/*.c linux-rpmsg-remote-c/*.h |
      sed 's|^|packages/demo-cli/apps/rpmsg-demo/|'
    (cd "$root" && printf '%s\n' packages/zephyr-shim/include/zephyr/*.h packages/zephyr-shim/include/zephyr/*/*.h \
      packages/openamp-wasm/lib/wasm32-wasi/libs.sha256 packages/openamp-wasm/src/v8r-cc.ts)
  } | LC_ALL=C sort
}
source_hash() {
  for f in $(hash_inputs); do
    printf '%s\n%s\n' "$f" "$(sha256sum "$root/$f" | cut -d' ' -f1)"
  done | sha256sum | cut -d' ' -f1
}

if [ "${1:-}" = "--hash" ]; then source_hash; exit 0; fi

v8r_cc() {
  [ -d "$root/node_modules/tsx" ] || { echo "build-apps.sh: v8r-cc runs from its source through tsx: install the workspace first (npx pnpm@12.4.2 install, or npm test)" >&2; exit 2; }
  (cd "$root" && node --conditions=source --import tsx "$openamp/src/v8r-cc-cli.ts" "$@")
}

here="$(pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
abs() { for f in "$@"; do printf '%s\n' "$here/$f"; done; }
mapfile -t host < <(abs "${HOST[@]}" "${COMMON[@]}")
mapfile -t remote < <(abs "${REMOTE[@]}" "${COMMON[@]}")
v8r_cc "${FLAGS[@]/#-Ic/-I$here/c}" "-I$zephyr_include" -o "$tmp/rpmsg-host.wasm" "${host[@]}"
v8r_cc "${FLAGS[@]/#-Ic/-I$here/c}" -o "$tmp/rpmsg-remote.wasm" "${remote[@]}"

outs=(zephyr-rpmsg-host-c/rpmsg-host.wasm linux-rpmsg-remote-c/rpmsg-remote.wasm)
if [ "${1:-}" = "--check" ]; then
  for o in "${outs[@]}"; do
    cmp -s "$tmp/$(basename "$o")" "$o" || { echo "[rpmsg-demo] $o differs from a rebuild of its sources; run bash packages/demo-cli/apps/rpmsg-demo/c/build-apps.sh" >&2; exit 1; }
  done
  if [ "$(source_hash)" != "$(cut -d' ' -f1 c/apps.sha256)" ]; then
    echo "[rpmsg-demo] c/apps.sha256 is stale; run bash packages/demo-cli/apps/rpmsg-demo/c/build-apps.sh" >&2
    exit 1
  fi
  echo "[rpmsg-demo] the C apps are reproducible"
  exit 0
fi
for o in "${outs[@]}"; do cp "$tmp/$(basename "$o")" "$o"; done
echo "$(source_hash)  inputs of the C apps' .wasm files (written by c/build-apps.sh; do not edit)" > c/apps.sha256
echo "[rpmsg-demo] wrote $(wc -c "${outs[@]}" | head -n -1 | awk '{printf "%s (%s bytes) ", $2, $1}')"
