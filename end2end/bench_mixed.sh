# Sourced by end2end/bench.sh: the mixed load of the reliability suite at
# full speed, as `mixed_rps`, `mixed_p99_ms` and `rss_after_load_kb`. Uses
# bench.sh's helpers (start_server, free_port, rss_kb, to_ms, median, say,
# JSON, RUNS, BIN, TMP).
#
# 16 connections (8 visitors' and 8 learners' worth, as in
# end2end/reliability.py): visitors browse lessons and pages, search and send
# malformed posts; learners read lessons, mark them complete and submit
# quizzes (each a stored attempt). At the same time a side client signs in 5
# times and registers once a second: argon2id costs ~20 ms of CPU each, so a
# few a second is what a bootcamp sees, and at wrk's pace the figure would
# measure nothing but hashing. Sign-ins and registrations count in
# mixed_rps but not in its p99 (they wait for a hashing slot by design).
# Each run is a fresh server; RSS is read after its load.

say ""
say "## Mixed load (the reliability suite's mix, at full speed)"
MIXED_SECS=${BENCH_MIXED_SECONDS:-60}

# mixed_lua PORT COOKIE...: the wrk script, on stdout.
mixed_lua() {
  local port=$1; shift
  printf 'local origin = "http://127.0.0.1:%s"\n' "$port"
  printf 'local cookies = {'; printf '"%s",' "$@"; echo '}'
  printf 'local lessons = {'
  find content -name '*.md' ! -name '*.*.md' | sort | sed -E 's#^content/([^/]+)/([^/.]+)\.md$#"/lessons/\1/\2",#' | tr -d '\n'
  echo '}'
  printf 'local ids = {'
  for f in $(find content -name '*.md' ! -name '*.*.md' | sort); do
    awk '/^id:/{printf "\"%s\",", $2; exit}' "$f"
  done
  echo '}'
  cat "end2end/bench_mixed.lua"
}

mixed_rps=(); mixed_p99=(); mixed_rss=()
for run in $(seq "$RUNS"); do
  MDB="$TMP/mixed-$run.db"
  MPORT=$(free_port)
  MCOOKIES=()
  for i in $(seq 1 8); do
    printf 'a long enough passphrase\n' | "$BIN" user add --email "mix$i@example.com" --name "Mix $i" --password-stdin --db "$MDB" >/dev/null
  done
  start_server content "$MDB" "$MPORT"
  MPID=$STARTED_PID
  for i in $(seq 1 8); do
    MCOOKIES+=("$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$MPORT/login" -H "X-Forwarded-For: 10.7.0.$i" \
      --data-urlencode "email=mix$i@example.com" --data-urlencode 'password=a long enough passphrase' | awk -F'[ ;]' 'tolower($1)=="set-cookie:"{print $2}')")
  done
  mixed_lua "$MPORT" "${MCOOKIES[@]}" >"$TMP/mixed.lua"
  python3 end2end/bench_side_client.py "$MPORT" "$MIXED_SECS" >"$TMP/side.out" &
  SIDE=$!
  out=$(wrk -t2 -c16 -d"${MIXED_SECS}s" --latency -s "$TMP/mixed.lua" "http://127.0.0.1:$MPORT")
  wait "$SIDE"
  read -r side_n side_5xx side_in side_reg <"$TMP/side.out"
  wrk_n=$(awk '/requests in/{print $1}' <<<"$out")
  fives=$(awk '$1=="FIVES"{print $2}' <<<"$out")
  mixed_rps+=("$(awk -v a="$wrk_n" -v b="$side_n" -v s="$MIXED_SECS" 'BEGIN{printf "%.0f", (a+b)/s}')")
  mixed_p99+=("$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")")
  mixed_rss+=("$(rss_kb "$MPID")")
  say "  - run $run: $wrk_n requests from wrk + $side_n sign-ins/registrations ($side_in/$side_reg) in ${MIXED_SECS} s: ${mixed_rps[-1]} req/s, p99 ${mixed_p99[-1]} ms (sign-ins excluded), 5xx: $((${fives:-0} + side_5xx)), RSS after: ${mixed_rss[-1]} kB"
  kill "$MPID"; wait "$MPID" 2>/dev/null || true
done
JSON[mixed_rps]=$(printf '%s\n' "${mixed_rps[@]}" | median)
JSON[mixed_p99_ms]=$(printf '%s\n' "${mixed_p99[@]}" | median)
JSON[rss_after_load_kb]=$(printf '%s\n' "${mixed_rss[@]}" | median)
say "- **mixed**: **${JSON[mixed_rps]} req/s**, p99 **${JSON[mixed_p99_ms]} ms**, RSS after the load **${JSON[rss_after_load_kb]} kB** (medians of $RUNS runs) — \`wrk -t2 -c16 -d${MIXED_SECS}s --latency -s mixed.lua\` (end2end/bench_mixed.lua) + \`end2end/bench_side_client.py\` signing in 5×/s and registering 1×/s"
