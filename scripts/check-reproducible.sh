#!/usr/bin/env bash
# Same source, same bytes: builds the release a second time from a copy of the tracked sources at
# another path and compares the shipped files with dist/ byte for byte. Run after `make dist`
# (`make reproducible` does both).
#
# The copy shares target/ with this tree, so dependencies are not compiled twice; samlmeta's own
# crates are rebuilt from the new path, which is what path-dependence would show in. The Cargo home
# is the same on one machine; --remap-path-prefix (Makefile: RELEASE_RUSTFLAGS) covers it too.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -f dist/samlmeta.html ]] || { echo "reproducible: run make dist first" >&2; exit 1; }

copy=$(mktemp -d "${TMPDIR:-/tmp}/samlmeta-rebuild-XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$copy"
ln -s "$PWD/node_modules" "$copy/node_modules"

echo "reproducible: building again in $copy"
started=$SECONDS
(cd "$copy" && CARGO_TARGET_DIR="$PWD/target" make --no-print-directory dist >/dev/null 2>&1) ||
  { echo "reproducible: the second build failed" >&2; (cd "$copy" && CARGO_TARGET_DIR="$PWD/target" make dist) >&2 || true; exit 1; }

status=0
for file in $(cd dist && ls); do
  a=$(sha256sum "dist/$file" | cut -d' ' -f1)
  b=$(sha256sum "$copy/dist/$file" 2>/dev/null | cut -d' ' -f1 || true)
  if [[ "$a" == "$b" ]]; then
    echo "  same  $a  $file"
  else
    echo "  DIFFERENT  $file: ${a} here, ${b:-missing} in the second build" >&2
    status=1
  fi
done
if ((status)); then
  echo "reproducible: the two builds differ" >&2
  exit 1
fi
echo "reproducible: both builds are byte-for-byte identical ($((SECONDS - started)) s)"
