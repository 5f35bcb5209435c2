#!/usr/bin/env bash
# The whole suite with the clock moved and an awkward time zone (deno task test:shifted): every
# test takes its times from one clock, so none may depend on today's date, the year, the weekday,
# the DST state or a whole-hour UTC offset.
#
# - libfaketime moves the clock of deno and of every process a test starts (tests pass LD_PRELOAD
#   and FAKETIME* on, see clockEnv() in tests/e2e/cli.ts) by +548 days: always another year,
#   another weekday (548 = 78 weeks + 2 days) and, for most dates, the other half of the year.
#   The monotonic clock stays real, so timeouts are not moved. libfaketime is preloaded directly:
#   the `faketime` wrapper also turns on its shared-memory mode, in which the real Claude Code CLI
#   fails to start ("sem_open failed").
# - TZ=Pacific/Chatham is UTC+12:45 in winter and UTC+13:45 with DST.
# Extra arguments go to deno test (a file or folder to run only some).
set -euo pipefail
cd "$(dirname "$0")/.."

lib=""
for candidate in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 \
  /usr/local/lib/faketime/libfaketime.so.1; do
  if [ -f "$candidate" ]; then lib="$candidate"; break; fi
done
if [ -z "$lib" ]; then
  echo "test:shifted needs libfaketime (Debian: apt-get install faketime)" >&2
  exit 1
fi

export LD_PRELOAD="$lib" FAKETIME="${SHIFT:-+548d}" FAKETIME_DONT_FAKE_MONOTONIC=1
export TZ="${SHIFT_TZ:-Pacific/Chatham}" NO_COLOR=1
echo "test:shifted: the clock moved to $(date '+%Y-%m-%d %H:%M %Z (%a)'), TZ=$TZ"

# Deno under libfaketime 0.9.10 sometimes dies of SIGSEGV as it exits (seen about 1 run in 7 of
# the whole suite, after its summary; `deno eval 'console.log(1)'` alone does it about 1 time in
# 5). A crash after a summary that says every test passed is that, and is said, not failed; a
# crash before the summary, or any failed test, fails this pass.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
deno test -P --parallel --sanitize-ops --sanitize-resources "$@" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
if [ "$code" -ge 128 ] &&
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -Eq '^ok \| [0-9]+ passed.* \| 0 failed'; then
  echo "test:shifted: every test passed; deno then died of signal $((code - 128)) at exit under" \
    "libfaketime (a known crash of the preload, not of a test)"
  exit 0
fi
exit "$code"
