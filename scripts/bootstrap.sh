#!/bin/sh
# Clodputer from source on a machine without Deno, in one command (POSIX sh; needs npm only when
# the pinned Deno is missing):
#
#   sh scripts/bootstrap.sh          the pinned Deno, the dependencies, then `deno task install`
#                                    (the clodputer command and its man page)
#   sh scripts/bootstrap.sh --deno   only the pinned Deno; prints the folder of its deno binary
#                                    on stdout (.ci/run uses this)
#
# The pinned Deno version is set here, once (.ci/run reads it through --deno). A deno of that
# version on PATH is used as it is; else it is installed from the npm registry
# (npm install deno@VERSION) into $CLODPUTER_TOOLS/deno-VERSION (default
# ~/.cache/clodputer-tools), once, and its per-platform binary is linked at bin/deno there.
# Every step says what it does on stderr.
set -eu

DENO_VERSION=2.9.6
TOOLS="${CLODPUTER_TOOLS:-$HOME/.cache/clodputer-tools}"

say() { echo "bootstrap: $*" >&2; }

cd "$(dirname "$0")/.."

version_of() { "$1" --version 2>/dev/null | head -n 1 | cut -d ' ' -f 2; }

# Sets bin to the folder of a deno of the pinned version, installing it when there is none.
pinned_deno() {
  found=$(command -v deno 2>/dev/null || true)
  if [ -n "$found" ] && [ "$(version_of "$found")" = "$DENO_VERSION" ]; then
    bin=$(dirname "$found")
    say "using Deno $DENO_VERSION on PATH: $found"
    return
  fi
  dir="$TOOLS/deno-$DENO_VERSION"
  bin="$dir/bin"
  if [ -x "$bin/deno" ] && [ "$(version_of "$bin/deno")" = "$DENO_VERSION" ]; then
    say "using Deno $DENO_VERSION installed earlier: $bin/deno"
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    say "Deno $DENO_VERSION is needed, and npm (Node.js) to fetch it from the npm registry;"
    say "install either (Deno: https://deno.com), then run this again"
    exit 1
  fi
  say "installing Deno $DENO_VERSION from the npm registry into $dir (npm install deno@$DENO_VERSION)"
  mkdir -p "$dir"
  npm install --no-audit --no-fund --no-save --prefix "$dir" "deno@$DENO_VERSION" >/dev/null
  # The npm package ships the native binary in a per-platform package; link it directly.
  exe=$(ls "$dir"/node_modules/@deno/*/deno 2>/dev/null | head -n 1 || true)
  [ -n "$exe" ] || exe="$dir/node_modules/deno/deno"
  mkdir -p "$bin"
  ln -sf "$exe" "$bin/deno"
  if [ "$(version_of "$bin/deno")" != "$DENO_VERSION" ]; then
    say "$bin/deno is not Deno $DENO_VERSION after npm install; remove $dir and run this again"
    exit 1
  fi
  say "installed $bin/deno -> $exe"
}

pinned_deno
if [ "${1:-}" = "--deno" ]; then
  echo "$bin"
  exit 0
fi
PATH="$bin:$PATH"
export PATH

say "fetching the dependencies into Deno's cache (deno install --frozen, in $(pwd))"
deno install --frozen
say "writing the clodputer command and its man page (deno task install)"
deno task -q install
say "done. Deno is $bin/deno; the clodputer command needs no deno on PATH."
