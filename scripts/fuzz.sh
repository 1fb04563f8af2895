#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for FUZZ_SECONDS each (default 60), one after another, with the
# nightly toolchain the machine already has (never downloaded). `make fuzz` runs this after
# `scripts/setup.sh --fuzz`; it is not part of `make test`.
#
#   make fuzz                          every target, 60 s each
#   make fuzz FUZZ_SECONDS=1800        30 minutes each
#   make fuzz FUZZ_TARGETS="c14n verify"
#
# Each target's corpus grows in target/fuzz-corpus/<target>/ (kept between runs), seeded from the
# test fixtures and corpora fuzz/seeds.txt names.
# A crash, hang or failed assertion is written to fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>/ with the fix, and `make test` replays it from then on.
# One line per target goes to target/fuzz-runs.log: date, seconds, executions, coverage, result.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
read -r -a ALL_TARGETS <<<"$(awk '!/^#/ && NF { printf "%s ", $1 }' fuzz/seeds.txt)"
read -r -a targets <<<"${FUZZ_TARGETS:-${ALL_TARGETS[*]}}"

# The seed directories of a target, from fuzz/seeds.txt (the regression test reads it too).
seeds_of() {
  local dirs
  dirs=$(awk -v t="$1" '$1 == t { $1 = ""; print }' fuzz/seeds.txt)
  [[ -n $dirs ]] && echo "$dirs"
}

# Never let rustup fetch a toolchain: use the nightly that is installed, or say there is none.
export RUSTUP_AUTO_INSTALL=0
nightly=$(rustup toolchain list 2>/dev/null | awk '/^nightly/ { print $1; exit }')
if [[ -z $nightly ]]; then
  echo "fuzz: no nightly Rust toolchain on this machine (cargo fuzz needs one for libFuzzer's" >&2
  echo "fuzz: instrumentation); this script does not download one. Install it, e.g." >&2
  echo "fuzz:   rustup toolchain install nightly --profile minimal" >&2
  echo "fuzz: and run make fuzz again." >&2
  exit 1
fi
command -v cargo-fuzz >/dev/null || {
  echo "fuzz: cargo-fuzz is missing: run scripts/setup.sh --fuzz (make fuzz does)" >&2
  exit 1
}
echo "fuzz: $(rustup run "$nightly" rustc --version), $(cargo-fuzz --version), ${FUZZ_SECONDS}s per target"

mkdir -p target
log=target/fuzz-runs.log
failed=()
for t in "${targets[@]}"; do
  seeds=$(seeds_of "$t") || {
    echo "fuzz: unknown target $t (targets: ${ALL_TARGETS[*]})" >&2
    exit 2
  }
  corpus=target/fuzz-corpus/$t
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  # Seed files of at most 256 KB (the 10 MB oversize message would only slow every run).
  for dir in $seeds; do
    find "$dir" -maxdepth 1 -type f -size -256k -exec cp -n {} "$corpus/" \;
  done
  echo "fuzz: $t for ${FUZZ_SECONDS}s (corpus $corpus: $(find "$corpus" -type f | wc -l) files)"
  out=target/fuzz-$t.out
  # -s none: the core is safe Rust (forbid(unsafe_code)), so AddressSanitizer would only slow it;
  # -a: debug assertions, so an integer overflow is a crash, not a silent wrap.
  status=0
  cargo "+$nightly" fuzz run --fuzz-dir fuzz -s none -a "$t" "$corpus" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout=60 -rss_limit_mb=4096 -max_len=262144 \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$out" 2>&1 || status=$?
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$out" | tail -1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$out" | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/cov \1, features \2, corpus \3/p' <<<"$done_line")
  if ((status == 0)); then
    result=ok
  else
    result="FAILED (exit $status; see $out and fuzz/artifacts/$t/)"
    failed+=("$t")
    tail -40 "$out" >&2
  fi
  line="$(date -u +%Y-%m-%dT%H:%MZ) $t ${FUZZ_SECONDS}s execs ${execs:-?} ${cov:-cov ?} $result"
  echo "fuzz: $line"
  echo "$line" >>"$log"
done

if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran clean (runs recorded in $log)"
