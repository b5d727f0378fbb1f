#!/usr/bin/env bash
# Every check of jiangtang, on a fresh Debian machine as on a developer's: installs what
# the tests need (only what is missing, so a second run goes straight to the checks),
# then runs `cargo fmt --check`, clippy and the whole test suite, and exits non-zero
# when any of them fails. The three always all run: one failure hides no other.
#
# apt-get needs root: the script uses sudo when it is not root and sudo exists.
# With CI set (.ci/run sets it), a test whose tool is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "scripts/test.sh: needs root or sudo to run: $*" >&2
    exit 1
  fi
}

installed() { # a Debian package, installed
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# What apt must install. chromium: the browser tests (Debian's build, /usr/bin/chromium;
# never a downloaded one). fonts-wqy-zenhei: Chinese glyphs, so layout and screenshots
# match a cadre's desktop. nginx: serving the built site under a sub-path as the
# intranet does. node and npm: the browser and search tests. pip: for icalendar below.
apt=()
for pkg in chromium fonts-wqy-zenhei nginx; do
  installed "$pkg" || apt+=("$pkg")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt+=(nodejs npm)
fi
python3 -m pip --version >/dev/null 2>&1 || apt+=(python3-pip)
if [ ${#apt[@]} -gt 0 ]; then
  step "apt-get install ${apt[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt[@]}"
fi

# icalendar: the calendar tests parse the generated .ics files with it, and expand
# repeating lectures with recurring-ical-events. Pillow: the media tests make phone
# photos with EXIF and read the published images back to see that none is left.
# python-docx: tests/fixtures/docx/make_docx.py writes the Word documents the import
# tests read, and a test checks that writing them again converts the same.
if ! python3 -c 'import icalendar, recurring_ical_events, PIL, docx' 2>/dev/null; then
  step "pip install icalendar recurring-ical-events Pillow python-docx"
  if [ "$(id -u)" -eq 0 ]; then pip=(--root-user-action=ignore); else pip=(--user); fi
  python3 -m pip install -q "${pip[@]}" icalendar recurring-ical-events Pillow python-docx \
    || python3 -m pip install -q "${pip[@]}" --break-system-packages icalendar recurring-ical-events Pillow python-docx
fi

# tests/js: playwright-core, axe-core, acorn. `npm ci` starts from an empty node_modules,
# so it runs only when the lock file has changed since the last one (a stamp records it).
lock=$(cat tests/js/package.json tests/js/package-lock.json | sha256sum)
stamp=tests/js/node_modules/.installed-lock.sha256
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock" ]; then
  step "npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund)
  echo "$lock" >"$stamp"
fi
step "node $(node --version), npm $(npm --version), $(/usr/bin/chromium --version 2>/dev/null)"

failed=()
check() { # runs a command, remembering its failure and exit code instead of stopping
  step "$*"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    failed+=("$* (exit $rc)")
    first_rc=${first_rc:-$rc}
  fi
}
check cargo fmt --check
check cargo clippy --all-targets -- -D warnings
check cargo test --no-fail-fast # every test binary runs, so one failure hides no other

if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED:\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit "$first_rc"
fi
printf '\nAll checks passed.\n'
