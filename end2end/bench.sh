#!/usr/bin/env bash
# `make bench`: measures the release server on this machine and writes
# target/bench/report.md and target/bench/report.json. Every figure is
# printed with the command that produced it. Traffic goes to 127.0.0.1 only;
# every load run is bounded (wrk -d10s).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq "$2" >/dev/null; } || { echo "bench needs $1 (apt-get install $2)"; exit 1; }; }
need wrk wrk
need brotli brotli
need nginx nginx

BIN=./target/release/academy
OUT=target/bench
mkdir -p "$OUT"
TMP=$(mktemp -d)
chmod 755 "$TMP"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

declare -A JSON
REPORT="$OUT/report.md"
{
  echo "# Backend Academy benchmark"
  echo
  echo "$(date -u +%FT%TZ) · $(nproc) cores · $(uname -r) · release build · wrk -t2 -c32 -d10s after a 2 s warm-up, unless noted"
  echo
} >"$REPORT"
say() { echo "$*" | tee -a "$REPORT"; }

to_ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0} else {sub(/s/,"",v); print v*1000} }'; }

# measure KEY URL [extra wrk args...]
measure() {
  local key=$1 url=$2; shift 2
  local c=${CONNS:-32}
  local cmd="wrk -t2 -c$c -d10s --latency $* $url"
  # Warm-up at the same load, not measured: a freshly started process runs its
  # first seconds slower here (signed-in lesson, consecutive 4 s runs: 7,524
  # then 9,494, 9,205, 9,020 req/s; a second session on the warm process is
  # fast at once, so it is the process warming up — memory first touched,
  # SQLite connections opened on demand). A long-running server is warm.
  wrk -t2 -c"$c" -d2s "$@" "$url" >/dev/null
  local out; out=$(wrk -t2 -c"$c" -d10s --latency "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses/{print $5}' <<<"$out")
  JSON[${key}_rps]=$rps; JSON[${key}_p50_ms]=$(to_ms "$p50"); JSON[${key}_p99_ms]=$(to_ms "$p99")
  say "- **$key**: $rps req/s, p50 $p50, p99 $p99${non2xx:+, non-2xx: $non2xx} — \`$cmd\`"
}

start_server() { # CONTENT DB PORT -> sets STARTED_PID and STARTUP_MS (time to first healthy response)
  local content=$1 db=$2 port=$3
  local t0; t0=$(date +%s%N)
  RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$port" --db "$db" --site-root target/site --content "$content" --behind-proxy >"$TMP/server-$port.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  for _ in $(seq 1200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

say "## Start-up"
start_server content "$TMP/bench.db" "$PORT"
ms=$STARTUP_MS
SERVER_PID=$STARTED_PID
JSON[startup_ms]=$ms; JSON[startup_rss_kb]=$(rss_kb "$SERVER_PID")
say "- shipped curriculum ($(find content -name '*.md' | wc -l) lessons): ready in **${ms} ms**, RSS $(rss_kb "$SERVER_PID") kB — \`time to first 200 from /healthz; VmRSS\`"

GEN="$TMP/gen"
python3 - "$GEN" <<'PY'
import os, sys
root = sys.argv[1]
body = open("content/databases/indexes.md").read().split("---", 2)[2]
body = body.split("```gift")[0]
import re
body = re.sub(r"```exercise\n.*?\n```\n", "", body, flags=re.S)  # no datasets in this tree
for t in range(100):
    d = os.path.join(root, f"track-{t:03}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "track.toml"), "w").write(f'title = "Track {t}"\norder = {t}\n')
    for l in range(100):
        open(os.path.join(d, f"lesson-{l:03}.md"), "w").write(
            f"---\nid: gen-{t}-{l}\ntitle: Generated lesson {t}.{l}\nsummary: Generated.\norder: {l}\n---\n{body}\n```gift\nQ {{T}}\n```\n")
PY
PORT2=$(free_port)
start_server "$GEN" "$TMP/gen.db" "$PORT2"
ms2=$STARTUP_MS
GEN_PID=$STARTED_PID
JSON[startup_10k_ms]=$ms2; JSON[startup_10k_rss_kb]=$(rss_kb "$GEN_PID")
say "- 10,000 generated lessons (each a copy of databases/indexes.md): ready in **${ms2} ms**, RSS $(rss_kb "$GEN_PID") kB — same measurement"
# Search on the 10,000 lessons: a mix of ordinary, broad, repeated and
# mistyped queries (each wrk request picks one), p99 reported.
cat >"$TMP/search.lua" <<'LUA'
local qs = {"index", "composite+index", "the", "a+a+a+a+a+a+a+a+a+a+a", "databse", "explain+analyze", "b", "query+plan+cost", "zzzz"}
request = function()
  return wrk.format("GET", "/search?q=" .. qs[math.random(#qs)])
end
LUA
CONNS=8 measure search_10k "http://127.0.0.1:$PORT2/search" -s "$TMP/search.lua"
JSON[search_p99_ms_10k]=${JSON[search_10k_p99_ms]}
say "  (queries: index, composite index, the, a×11, databse, explain analyze, b, query plan cost, zzzz — one at random per request)"
kill "$GEN_PID"; wait "$GEN_PID" 2>/dev/null || true

say ""
say "## Pages (anonymous)"
LESSON=/lessons/databases/indexes
curl -fs "$BASE$LESSON" >"$TMP/lesson.html"
measure lesson "$BASE$LESSON"
measure home "$BASE/"
measure search "$BASE/search?q=database"
measure salaries "$BASE/salaries?country=United+Kingdom"

# nginx serving the identical HTML from a file, same machine, same window.
NPORT=$(free_port)
cat >"$TMP/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP;
    location / { default_type text/html; try_files /lesson.html =404; }
  }
}
NGINX
nginx -c "$TMP/nginx.conf" -p "$TMP" &
PIDS+=($!)
sleep 0.5
measure static "http://127.0.0.1:$NPORT/"
ratio=$(awk -v a="${JSON[lesson_rps]}" -v b="${JSON[static_rps]}" 'BEGIN{printf "%.2f", a/b}')
JSON[lesson_vs_static]=$ratio
say "- lesson page / nginx static: **${ratio}×**"

say ""
say "## Signed in"
EMAIL=bench@example.com
printf 'a long enough passphrase\n' | "$BIN" user add --email "$EMAIL" --name Bench --password-stdin --db "$TMP/bench.db" >/dev/null
COOKIE=$(curl -s -o /dev/null -D - -X POST "$BASE/login" -H 'X-Forwarded-For: 10.9.9.9' \
  --data-urlencode "email=$EMAIL" --data-urlencode 'password=a long enough passphrase' | awk -F'[ ;]' 'tolower($1)=="set-cookie:"{print $2}')
measure lesson_signed_in "$BASE$LESSON" -H "Cookie: $COOKIE"
sratio=$(awk -v a="${JSON[lesson_signed_in_rps]}" -v b="${JSON[static_rps]}" 'BEGIN{printf "%.2f", a/b}')
JSON[lesson_signed_in_vs_static]=$sratio
say "- signed-in lesson / nginx static: **${sratio}×**"

cat >"$TMP/complete.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
local ids = {"db-indexes", "db-transactions", "db-sql-essentials", "db-relational-modelling"}
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format(nil, nil, nil, "lesson_id=" .. id .. "&done=" .. (math.random(2) == 1 and "true" or "false"))
end
LUA
measure mark_complete "$BASE/api/progress/complete" -H "Cookie: $COOKIE" -H "Origin: $BASE" -s "$TMP/complete.lua"

cat >"$TMP/quiz.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local t = {}
  for i = 1, 24 do t[i] = string.format("%x", math.random(0, 15)) end
  -- A new attempt each time, questions unanswered: each request stores one graded attempt.
  return wrk.format(nil, nil, nil, "attempt=" .. table.concat(t))
end
LUA
measure quiz_submit "$BASE$LESSON/quiz" -H "Cookie: $COOKIE" -H "Origin: $BASE" -s "$TMP/quiz.lua"

cat >"$TMP/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "email=bench%40example.com&password=a+long+enough+passphrase"
request = function()
  wrk.headers["X-Forwarded-For"] = "10." .. math.random(0,255) .. "." .. math.random(0,255) .. "." .. math.random(1,254)
  return wrk.format()
end
LUA
measure login "$BASE/login" -s "$TMP/login.lua"
say "  (argon2id m=19456 KiB, t=2, p=1; hashing bounded to $(nproc) at a time)"

say ""
say "## Labs (SQL exercises on the shop dataset)"
# One run at a time per learner (a second one is refused with 429), so the
# load comes from 16 learners: each wrk thread cycles through its own 8, and
# its 4 connections never hold two runs of one learner at once.
LAB_COOKIES=()
for i in $(seq 1 16); do
  printf 'a long enough passphrase\n' | "$BIN" user add --email "lab$i@example.com" --name "Lab $i" --password-stdin --db "$TMP/bench.db" >/dev/null
  LAB_COOKIES+=("$(curl -s -o /dev/null -D - -X POST "$BASE/login" -H "X-Forwarded-For: 10.8.0.$i" \
    --data-urlencode "email=lab$i@example.com" --data-urlencode 'password=a long enough passphrase' | awk -F'[ ;]' 'tolower($1)=="set-cookie:"{print $2}')")
done
# lab_lua EXERCISE-ID: a wrk script running that exercise's reference
# solution (from databases/sql-essentials.md) as the 16 learners.
lab_lua() {
  local id=$1 sql
  sql=$(python3 -c 'import sys,urllib.parse; t=open("content/databases/sql-essentials.md").read(); b=t[t.index("id = \"%s\"" % sys.argv[1]):]; s=b[b.index("solution = \"\"\"")+14:]; print(urllib.parse.quote(s[:s.index("\"\"\"")].strip()))' "$id")
  {
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
    echo 'wrk.headers["Accept"] = "application/json"'
    printf 'local cookies = {'; printf '"%s",' "${LAB_COOKIES[@]}"; echo '}'
    echo "local body = \"track=databases&lesson=sql-essentials&id=$id&action=run&answer=$sql\""
    echo 'first = 0'
    echo 'local n = 0'
    echo 'local threads = 0'
    echo 'setup = function(thread) thread:set("first", threads * 8); threads = threads + 1 end'
    echo 'request = function()'
    echo '  n = n + 1'
    echo '  wrk.headers["Cookie"] = cookies[first + (n % 8) + 1]'
    echo '  return wrk.format(nil, nil, nil, body)'
    echo 'end'
  } >"$TMP/lab-$id.lua"
}
lab_lua unknown-country
CONNS=8 measure sql_exercise "$BASE/api/labs/run" -H "Origin: $BASE" -s "$TMP/lab-unknown-country.lua"
say "  (a typical exercise, databases/sql-essentials#unknown-country: a filter over the 500 customers, graded and stored; $(nproc) SQL workers)"
lab_lua revenue-by-category
CONNS=8 measure sql_exercise_join "$BASE/api/labs/run" -H "Origin: $BASE" -s "$TMP/lab-revenue-by-category.lua"
say "  (one of the heavier ones, #revenue-by-category: a 3-table join and GROUP BY over the 7,032 order items, ~5 ms in sqlite3 itself)"
BOMB='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'
bomb_ms=()
for _ in 1 2 3; do
  bomb_ms+=("$(curl -s -o "$TMP/bomb.json" -w '%{time_total}' -X POST "$BASE/api/labs/run" -H "Cookie: ${LAB_COOKIES[0]}" -H "Origin: $BASE" -H 'Accept: application/json' \
    --data-urlencode track=databases --data-urlencode lesson=sql-essentials --data-urlencode id=revenue-by-category --data-urlencode action=run --data-urlencode "answer=$BOMB" | awk '{printf "%.0f", $1*1000}')")
done
JSON[sql_bomb_ms]=$(printf '%s\n' "${bomb_ms[@]}" | sort -n | sed -n 2p)
grep -q 'ran longer than the 250 ms' "$TMP/bomb.json" || say "- WARNING: the CTE bomb did not answer with the time-limit sentence: $(head -c 300 "$TMP/bomb.json")"
say "- recursive CTE bomb answered in **${JSON[sql_bomb_ms]} ms** (median of ${bomb_ms[*]} ms) with the time-limit sentence — \`curl -w %{time_total} -X POST /api/labs/run answer='$BOMB'\`"

# PostgreSQL: the same figures with `pg_` keys (see end2end/bench_pg.sh).
# shellcheck source=end2end/bench_pg.sh
. end2end/bench_pg.sh

say ""
say "## Browser bundle"
WASM=target/site/pkg/academy_bg.wasm
raw=$(stat -c %s "$WASM"); gz=$(gzip -9 -c "$WASM" | wc -c); br=$(brotli -q 11 -c "$WASM" | wc -c)
JSON[wasm_raw_bytes]=$raw; JSON[wasm_gzip_bytes]=$gz; JSON[wasm_brotli_bytes]=$br
say "- initial WASM: raw $raw B, gzip $gz B, **brotli $br B** — \`stat -c %s; gzip -9 -c | wc -c; brotli -q 11 -c | wc -c\` on $WASM"
js=target/site/pkg/academy.js
JSON[js_brotli_bytes]=$(brotli -q 11 -c "$js" | wc -c)
say "- JS glue: brotli ${JSON[js_brotli_bytes]} B"

say ""
say "## Lighthouse (anonymous: a lesson, its quiz, the salary explorer)"
LH=target/bench/lighthouse
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  npm install --prefix "$LH" --no-save --no-audit --no-fund lighthouse@12.2.3 >/dev/null 2>&1 || true
fi
if [ -x "$LH/node_modules/.bin/lighthouse" ] && [ -x /usr/bin/chromium ]; then
  LH_CATEGORIES=performance,accessibility,best-practices,seo
  # One run per page measures all four categories; performance is reported
  # for the lesson (the target), the others for each page.
  for page in lesson:$LESSON quiz:$LESSON/quiz salaries:/salaries; do
    name=${page%%:*}; path=${page#*:}
    lh_cmd="lighthouse $BASE$path --only-categories=$LH_CATEGORIES --chrome-flags='--headless=new --no-sandbox' (lighthouse 12.2.3, CHROME_PATH=/usr/bin/chromium, default mobile throttling)"
    rm -f "$TMP/lh.json"
    CHROME_PATH=/usr/bin/chromium timeout 180 "$LH/node_modules/.bin/lighthouse" "$BASE$path" --quiet \
      --only-categories=$LH_CATEGORIES --chrome-flags="--headless=new --no-sandbox" \
      --output=json --output-path="$TMP/lh.json" >/dev/null 2>&1 || true
    if [ -s "$TMP/lh.json" ]; then
      cp "$TMP/lh.json" "$OUT/lighthouse-$name.json"
      eval "$(python3 end2end/bench_report.py lighthouse "$TMP/lh.json")"
      # A category Lighthouse could not score stays out of report.json.
      [ -z "$LH_A11Y" ] || JSON[lighthouse_a11y_$name]=$LH_A11Y
      [ -z "$LH_BP" ] || JSON[lighthouse_best_practices_$name]=$LH_BP
      [ -z "$LH_SEO" ] || JSON[lighthouse_seo_$name]=$LH_SEO
      if [ "$name" = lesson ]; then
        JSON[lighthouse_performance]=$LH_SCORE; JSON[lighthouse_lcp_ms]=$LH_LCP; JSON[lighthouse_tbt_ms]=$LH_TBT; JSON[lighthouse_cls]=$LH_CLS
        say "- $name ($path): performance **$LH_SCORE**/100: FCP ${LH_FCP} ms, LCP ${LH_LCP} ms, TBT ${LH_TBT} ms, CLS $LH_CLS"
      fi
      say "- $name ($path): accessibility **$LH_A11Y**, best practices **$LH_BP**, SEO **$LH_SEO**${LH_FAILED:+ — below 1: $LH_FAILED} — \`$lh_cmd\` (full report: $OUT/lighthouse-$name.json)"
    else
      say "- Lighthouse run failed on $path (see \`$lh_cmd\`)"
    fi
  done
else
  say "- Lighthouse not run: needs npm (lighthouse 12.2.3) and /usr/bin/chromium"
fi

say ""
say "## Markdown pipeline (criterion)"
crit_cmd="cargo bench -p bench --bench markdown"
if cargo bench -p bench --bench markdown >"$TMP/criterion.log" 2>&1; then
  lessons=$(find content -name '*.md' | wc -l)
  bytes=$(find content -name '*.md' -exec cat {} + | wc -c)
  eval "$(python3 end2end/bench_report.py criterion "$lessons" "$bytes")"
  JSON[markdown_curriculum_ms]=$MD_MS; JSON[markdown_us_per_lesson]=$MD_PER_LESSON_US; JSON[markdown_mib_per_s]=$MD_MIBS; JSON[gift_parse_all_us]=$GIFT_US
  say "- front matter → markdown → highlighting → sanitizer over the shipped $lessons lessons ($bytes B): **$MD_MS ms** ($MD_PER_LESSON_US µs a lesson, $MD_MIBS MiB/s); all GIFT quizzes parsed in $GIFT_US µs — \`$crit_cmd\` (mean)"
else
  say "- criterion bench failed: see \`$crit_cmd\`"
  tail -20 "$TMP/criterion.log"
fi

say ""
say "## Targets"
target() { # NAME VALUE OP LIMIT
  local ok; ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN{ if (v == "") print "not measured"; else if ((op == ">=" && v+0 >= l+0) || (op == "<=" && v+0 <= l+0)) print "met"; else print "MISSED" }')
  say "- $1: $2 (target $3 $4) — **$ok**"
}
target "anonymous lesson / nginx static" "${JSON[lesson_vs_static]:-}" ">=" 0.5
target "signed-in lesson / nginx static" "${JSON[lesson_signed_in_vs_static]:-}" ">=" 0.1
target "anonymous lesson p99 ms at 32 connections" "${JSON[lesson_p99_ms]:-}" "<=" 10
target "signed-in lesson p99 ms at 32 connections" "${JSON[lesson_signed_in_p99_ms]:-}" "<=" 10
target "mark-complete durable req/s" "${JSON[mark_complete_rps]:-}" ">=" 3000
target "PostgreSQL mark-complete durable req/s" "${JSON[pg_mark_complete_rps]:-}" ">=" 3000
target "search p99 ms on 10,000 lessons" "${JSON[search_p99_ms_10k]:-}" "<=" 50
target "SQL exercise runs/s (graded, stored)" "${JSON[sql_exercise_rps]:-}" ">=" 500
target "SQL exercise p99 ms" "${JSON[sql_exercise_p99_ms]:-}" "<=" 50
target "CTE bomb answer ms" "${JSON[sql_bomb_ms]:-}" "<=" 300
target "initial WASM brotli bytes" "${JSON[wasm_brotli_bytes]:-}" "<=" 150000
target "Lighthouse performance" "${JSON[lighthouse_performance]:-}" ">=" 95
for name in lesson quiz salaries; do
  target "Lighthouse accessibility, $name" "${JSON[lighthouse_a11y_$name]:-}" ">=" 100
  target "Lighthouse best practices, $name" "${JSON[lighthouse_best_practices_$name]:-}" ">=" 95
  target "Lighthouse SEO, $name" "${JSON[lighthouse_seo_$name]:-}" ">=" 95
done

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
echo
echo "wrote $REPORT and $OUT/report.json"
