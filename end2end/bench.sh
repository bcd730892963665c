#!/usr/bin/env bash
# `make bench`: start the release server on a free port with a fresh database,
# measure pages with wrk, print the WASM sizes. Every figure is printed with the
# command that produced it. Writes target/bench/report.md and report.json.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq "$2" >/dev/null; } || { echo "bench needs $1 (apt-get install $2)"; exit 1; }; }
need wrk wrk
need brotli brotli

OUT=target/bench
mkdir -p "$OUT"
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
./target/release/academy serve --addr "127.0.0.1:$PORT" --db "$TMP/bench.db" \
  --site-root target/site --content content >"$TMP/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

declare -A JSON
REPORT="$OUT/report.md"
echo "# Backend Academy benchmark ($(date -u +%FT%TZ), $(nproc) cores)" >"$REPORT"

measure() { # key path
  local key=$1 path=$2
  local cmd="wrk -t2 -c32 -d10s --latency $BASE$path"
  local out; out=$($cmd)
  local rps; rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  local p50; p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  local p99; p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0} else {sub(/s/,"",v); print v*1000} }'; }
  JSON[${key}_rps]=$rps; JSON[${key}_p50_ms]=$(to_ms "$p50"); JSON[${key}_p99_ms]=$(to_ms "$p99")
  printf -- '- %s: **%s req/s**, p50 %s, p99 %s — `%s`\n' "$key" "$rps" "$p50" "$p99" "$cmd" | tee -a "$REPORT"
}

measure home /

WASM=target/site/pkg/academy_bg.wasm
if [ -f "$WASM" ]; then
  raw=$(stat -c %s "$WASM"); gz=$(gzip -9 -c "$WASM" | wc -c); br=$(brotli -q 11 -c "$WASM" | wc -c)
  JSON[wasm_raw_bytes]=$raw; JSON[wasm_gzip_bytes]=$gz; JSON[wasm_brotli_bytes]=$br
  printf -- '- initial WASM: raw %s B, gzip %s B, **brotli %s B** — `stat; gzip -9; brotli -q 11 on %s`\n' "$raw" "$gz" "$br" "$WASM" | tee -a "$REPORT"
fi

{
  echo "{"
  first=1
  for k in $(printf '%s\n' "${!JSON[@]}" | sort); do
    [ $first = 1 ] || echo ","
    first=0
    printf '  "%s": %s' "$k" "${JSON[$k]}"
  done
  echo; echo "}"
} >"$OUT/report.json"
echo "wrote $REPORT and $OUT/report.json"
