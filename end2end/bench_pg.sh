# Sourced by end2end/bench.sh: the same figures on PostgreSQL (`pg_` keys),
# on a throwaway cluster of Debian's PostgreSQL (tools/pg-test-cluster) with
# its default durability (fsync on, synchronous_commit on), then two
# instances on that one database side by side. Uses bench.sh's helpers
# (measure, start_server, say, JSON, free_port) and its complete.lua and
# quiz.lua scripts.

say ""
say "## PostgreSQL (same binary, \`--db postgres://…\`)"
PG_DIR=$(mktemp -u /tmp/academy-bench-pg.XXXXXX)
PG_SERVER=$(tools/pg-test-cluster start "$PG_DIR")
pg_cleanup() { tools/pg-test-cluster stop "$PG_DIR" >/dev/null 2>&1 || true; }
trap 'cleanup; pg_cleanup' EXIT
psql "$PG_SERVER" -X -q -c "CREATE DATABASE bench" >/dev/null
PGDB="${PG_SERVER%/*}/bench"
say "- $(psql "$PGDB" -X -At -c "SELECT version()" | cut -d, -f1); synchronous_commit=$(psql "$PGDB" -X -At -c "SHOW synchronous_commit"), fsync=$(psql "$PGDB" -X -At -c "SHOW fsync") — \`SHOW synchronous_commit; SHOW fsync\`"

PG_PORT=$(free_port)
PG_BASE="http://127.0.0.1:$PG_PORT"
start_server content "$PGDB" "$PG_PORT"
JSON[pg_startup_ms]=$STARTUP_MS
PG_PID=$STARTED_PID
say "- start-up on PostgreSQL, shipped curriculum: ready in **${STARTUP_MS} ms**, RSS $(rss_kb "$PG_PID") kB"
printf 'a long enough passphrase\n' | "$BIN" user add --email "$EMAIL" --name Bench --password-stdin --db "$PGDB" >/dev/null
PG_COOKIE=$(curl -s -o /dev/null -D - -X POST "$PG_BASE/login" -H 'X-Forwarded-For: 10.9.9.8' \
  --data-urlencode "email=$EMAIL" --data-urlencode 'password=a long enough passphrase' | awk -F'[ ;]' 'tolower($1)=="set-cookie:"{print $2}')
measure pg_lesson "$PG_BASE$LESSON"
measure pg_lesson_signed_in "$PG_BASE$LESSON" -H "Cookie: $PG_COOKIE"
# measure_pair KEY PATH [wrk args]: one wrk (1 thread, 16 connections) per
# instance at the same time; req/s summed, the worse p99 reported.
# `@BASE@` in an argument becomes each instance's own URL (its Origin).
measure_pair() {
  local key=$1 path=$2; shift 2
  local -a args_a=("${@//@BASE@/$PG_BASE}") args_b=("${@//@BASE@/$PG_BASE2}")
  # `wait PID`: a bare `wait` would also wait for the servers.
  wrk -t1 -c16 -d2s "${args_a[@]}" "$PG_BASE$path" >/dev/null & local w1=$!
  wrk -t1 -c16 -d2s "${args_b[@]}" "$PG_BASE2$path" >/dev/null & local w2=$!
  wait "$w1" "$w2"
  wrk -t1 -c16 -d10s --latency "${args_a[@]}" "$PG_BASE$path" >"$TMP/pair-a.out" & w1=$!
  wrk -t1 -c16 -d10s --latency "${args_b[@]}" "$PG_BASE2$path" >"$TMP/pair-b.out" & w2=$!
  wait "$w1" "$w2"
  local a b pa pb
  a=$(awk '/Requests\/sec/{print $2}' "$TMP/pair-a.out"); b=$(awk '/Requests\/sec/{print $2}' "$TMP/pair-b.out")
  pa=$(to_ms "$(awk '$1=="99%"{print $2}' "$TMP/pair-a.out")"); pb=$(to_ms "$(awk '$1=="99%"{print $2}' "$TMP/pair-b.out")")
  JSON[${key}_rps]=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a+b}')
  JSON[${key}_p99_ms]=$(awk -v a="$pa" -v b="$pb" 'BEGIN{print (a>b)?a:b}')
  say "- **$key**: ${JSON[${key}_rps]} req/s ($a + $b), p99 ${JSON[${key}_p99_ms]} ms — \`wrk -t1 -c16 -d10s --latency $* <instance A and B>$path\` at once"
}
PG_PORT2=$(free_port)
PG_BASE2="http://127.0.0.1:$PG_PORT2"
start_server content "$PGDB" "$PG_PORT2"
say "- two instances on the one database, side by side on this machine's $(nproc) cores (the same learner on both, as behind a round-robin proxy):"
measure_pair pg_two_lesson_signed_in "$LESSON" -H "Cookie: $PG_COOKIE"
measure pg_mark_complete "$PG_BASE/api/progress/complete" -H "Cookie: $PG_COOKIE" -H "Origin: $PG_BASE" -s "$TMP/complete.lua"

measure_pair pg_two_mark_complete "/api/progress/complete" -H "Cookie: $PG_COOKIE" -H "Origin: @BASE@" -s "$TMP/complete.lua"
measure pg_quiz_submit "$PG_BASE$LESSON/quiz" -H "Cookie: $PG_COOKIE" -H "Origin: $PG_BASE" -s "$TMP/quiz.lua"
measure pg_search "$PG_BASE/search?q=database"
kill "$PG_PID" "$STARTED_PID" 2>/dev/null || true
