#!/usr/bin/env bash
# Installs what samlmeta's build and tests need, and only what is missing. `make serve`, `make test`
# and the other make targets run it first; a second run changes nothing and takes seconds.
#
# Everything comes from package registries (Cargo's, npm's, Debian's): Trunk's own tool download and
# Playwright's browser download are never used.
#
#   rustup target wasm32-unknown-unknown
#   cargo fetch                      the crates of every target (tests run cargo tree offline)
#   trunk 0.21.14                    cargo install (0.22 needs a newer rustc than 1.95)
#   wasm-bindgen-cli                 cargo install, exactly Cargo.lock's wasm-bindgen version
#   chromium chromium-driver         Debian: the browser the tests drive
#   xmlsec1 libxml2-utils openssl    Debian: xmlsec1, xmllint and openssl, the oracles the tests trust
#   xz-utils                         Debian: xz, which compresses the single file's wasm (LZMA)
#   node_modules                     npm ci: binaryen (wasm-opt 132) and playwright-core
#   cargo-deny 0.20.2                cargo install: the dependency policy (deny.toml) `make test` checks
#
# `scripts/setup.sh --fuzz` (what `make fuzz` runs) also installs cargo-fuzz 0.13.2. Fuzzing needs
# the nightly toolchain the machine image ships; setup never downloads a toolchain.
set -euo pipefail

fuzz=0
for arg in "$@"; do
  case $arg in
    --fuzz) fuzz=1 ;;
    *) printf 'setup: unknown option %s (only --fuzz)\n' "$arg" >&2 && exit 2 ;;
  esac
done

cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
CARGO_DENY_VERSION=0.20.2
CARGO_FUZZ_VERSION=0.13.2
WASM_OPT_VERSION=132
DEBIAN_PACKAGES=(chromium chromium-driver xmlsec1 libxml2-utils openssl xz-utils)

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$PWD/node_modules/.bin:$cargo_bin:$PATH"

setup_started=$SECONDS
installed_any=0

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}
elapsed() {
  local s=$((SECONDS - $1))
  printf '%dm%02ds' $((s / 60)) $((s % 60))
}
# install WHAT COMMAND...: runs COMMAND, reporting what it installs and how long it took.
install() {
  local what=$1 started=$SECONDS
  shift
  say "installing $what ..."
  "$@"
  say "installed $what in $(elapsed "$started")"
  installed_any=1
}

# ---- Rust ---------------------------------------------------------------------------------------
command -v cargo >/dev/null && command -v rustup >/dev/null ||
  die "Rust is missing: install it with rustup (https://rustup.rs), then run this again."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  install "the Rust target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi

# The crates of every target, not only the host's: `cargo tree --offline --target all` (the test
# that rsa is built with blinding) needs them all. Seconds when nothing is missing.
if ! cargo fetch --locked --offline >/dev/null 2>&1; then
  install "the crates of every target (cargo fetch)" cargo fetch --locked
fi

# ---- Debian packages ----------------------------------------------------------------------------
missing_packages=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing_packages+=("$pkg")
done
command -v node >/dev/null && command -v npm >/dev/null || missing_packages+=(nodejs npm)

if ((${#missing_packages[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    die "these Debian packages are missing: ${missing_packages[*]}. Install them as root, then run this again:
    sudo apt-get update && sudo apt-get install -y ${missing_packages[*]}"
  fi
  apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    # Package lists are needed to install anything; a stale list can name versions that are gone.
    if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
      apt-get update -qq
    fi
    apt-get install -y -qq "${missing_packages[@]}" >/dev/null ||
      { apt-get update -qq && apt-get install -y -qq "${missing_packages[@]}" >/dev/null; }
  }
  install "Debian packages: ${missing_packages[*]}" apt_install
fi

# playwright-core (the end-to-end tests) needs Node.js 20 or later; Debian 12's own is 18.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
((node_major >= 20)) || die "Node.js 20 or later is needed (this machine has $(node --version 2>/dev/null || echo none)).
    Install Node.js 20 or later (for example from NodeSource's Debian packages), then run this again."

# ---- Trunk and wasm-bindgen-cli -----------------------------------------------------------------
if [[ $(trunk --version 2>/dev/null || true) != "trunk $TRUNK_VERSION" ]]; then
  install "trunk $TRUNK_VERSION (a few minutes)" \
    cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

# The CLI must be exactly the wasm-bindgen version in Cargo.lock.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[[ -n $wasm_bindgen_version ]] || die "Cargo.lock names no wasm-bindgen version"
if [[ $(wasm-bindgen --version 2>/dev/null || true) != "wasm-bindgen $wasm_bindgen_version" ]]; then
  # Not --locked: wasm-bindgen-cli's lock file names a dependency version the registry no longer has.
  install "wasm-bindgen-cli $wasm_bindgen_version (a few minutes)" \
    cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --quiet
fi

# ---- cargo-deny (make test) and cargo-fuzz (make fuzz only) -------------------------------------
if [[ $(cargo-deny --version 2>/dev/null || true) != "cargo-deny $CARGO_DENY_VERSION" ]]; then
  install "cargo-deny $CARGO_DENY_VERSION (a few minutes)" \
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --quiet
fi
if ((fuzz)) && [[ $(cargo-fuzz --version 2>/dev/null || true) != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
  install "cargo-fuzz $CARGO_FUZZ_VERSION" \
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --quiet
fi

# ---- npm: wasm-opt (binaryen) and playwright-core -----------------------------------------------
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.samlmeta-package-lock.sha256
if [[ ! -f $stamp || $(cat "$stamp") != "$lock_sum" ]]; then
  npm_ci() {
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_sum" >"$stamp"
  }
  install "npm packages from package-lock.json" npm_ci
fi

# Debian's binaryen (108) crashes on current wasm-bindgen output; ours must come first on PATH.
wasm_opt_found=$(wasm-opt --version 2>/dev/null || true)
[[ $wasm_opt_found == *"version $WASM_OPT_VERSION "* || $wasm_opt_found == *"version $WASM_OPT_VERSION" ]] ||
  die "wasm-opt on PATH is '$wasm_opt_found' ($(command -v wasm-opt || echo none)), expected version $WASM_OPT_VERSION from node_modules/.bin"

if ((installed_any)); then
  say "done in $(elapsed "$setup_started")"
else
  say "everything was already installed ($(elapsed "$setup_started"))"
fi
