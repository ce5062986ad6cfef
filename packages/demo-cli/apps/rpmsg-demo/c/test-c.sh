#!/usr/bin/env bash
# The C apps' protocol code and status page renderer built natively with
# AddressSanitizer and UndefinedBehaviorSanitizer and run on hand-picked and
# random input (the equivalence with the TypeScript code is checked by the
# vitest suites, in wasm); skipped with a notice when there is no C compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
CC="${CC:-cc}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "[rpmsg-demo] test:c skipped: no C compiler ($CC) on PATH"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
san=(-std=c11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -Ic)
common=(c/rd_buf.c c/rd_js.c c/rd_json.c c/rd_json_stringify.c c/rd_status.c c/rd_status_parse.c c/rd_ctrl.c)
"$CC" "${san[@]}" c/test/codec-check.c "${common[@]}" -lm -o "$out/codec-check"
"$CC" "${san[@]}" linux-rpmsg-remote-c/test/page-check.c linux-rpmsg-remote-c/{history,status_page,status_json,cpu_chart,format}.c "${common[@]}" -lm -o "$out/page-check"

hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
cases=(
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"cpu":12.5,"thr":[["a","b",1],["idle","ready",98.5]],"heap":[1,2],"ipc":{"tx":1,"dr":0},"per":1000}'
  '{"v":1,"seq":0,"boot":"1a2b3c4d","t":1000,"thr":[["\ud800","\u00e9\ud83d\ude00",0.25]]}'
  '{"v":{"b":1,"10":2,"2":[3,{"x":null}]},"seq":0,"boot":"1a2b3c4d","t":1000}'
  "$(printf '[%.0s' $(seq 300))$(printf ']%.0s' $(seq 300))"
  '{"id":1,"cmd":"period","ms":500}' '{"id":2,"cmd":"ack","boot":4294967295,"next":3,"miss":0}' '{"id":3,"cmd":"nope"}' 'not json' ''
)
args=()
for c in "${cases[@]}"; do args+=("parse:$(hex "$c")" "serve:$(hex "$c")" "reply:$(hex "$c")"); done
args+=("num:$(printf '\x00\x00\x00\x00\x00\x00\xd0\x3f' | od -An -v -tx1 | tr -d ' \n')" "fuzz:$RANDOM:20000")
echo "[rpmsg-demo] running the C codec on ${#cases[@]} hand-picked and 20000 random inputs (ASan+UBSan)"
"$out/codec-check" "${args[@]}" > "$out/codec.txt"
[ "$(tail -n 1 "$out/codec.txt")" = 20000 ] || { echo "[rpmsg-demo] codec-check did not finish its random inputs" >&2; exit 1; }
echo "[rpmsg-demo] rendering the status page after 700 samples (ASan+UBSan)"
"$out/page-check" gen:700 > "$out/page.txt"
[ -s "$out/page.txt" ] || { echo "[rpmsg-demo] page-check rendered no page" >&2; exit 1; }
echo "[rpmsg-demo] test:c passed"
