#!/usr/bin/env bash
# Release archives for editors, in dist/: jiangtang-<version>-<target>.zip for Windows,
# .tar.gz for Linux on x86-64 and on ARM64. Each holds a folder of the same name with
#   jiangtang(.exe)      the program, stripped
#   editing.md           the editors' guide in Chinese (content/guide/editing.md, as the
#                        starter site's preview shows it: the values its site.yaml
#                        allows written in; `jiangtang markdown` writes it)
#   LICENSE, LICENSE-OpenCC.txt   the licences of the program and of its character table
#   THIRD-PARTY-LICENSES.txt      the licences of the crates linked into it (cargo-about,
#                                 configured in scripts/about/)
#   site/                a starter site, written by `jiangtang init`
#   preview.cmd          Windows only: previews a site on a double-click
# Builds the three targets first (scripts/cross-build.sh). Runs on x86-64 Linux.
set -euo pipefail
cd "$(dirname "$0")/.."

host=x86_64-unknown-linux-gnu
out="${CARGO_TARGET_DIR:-target}"
targets=("$host" x86_64-pc-windows-gnu aarch64-unknown-linux-gnu)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)

scripts/cross-build.sh "${targets[@]}"
# zip for Windows' archive; the ARM64 binary's strip.
packages=()
command -v zip >/dev/null || packages+=(zip)
command -v aarch64-linux-gnu-strip >/dev/null || packages+=(binutils-aarch64-linux-gnu)
if ((${#packages[@]})); then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  apt_install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; }
  apt_install || { "${sudo[@]}" apt-get update -q && apt_install; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The notices of every crate linked into the three targets, with their licence texts.
if ! command -v cargo-about >/dev/null; then
  cargo install cargo-about --locked --features cli
fi
cargo about generate -c scripts/about/about.toml scripts/about/about.hbs \
  -o "$work/THIRD-PARTY-LICENSES.txt"

# Double-clicked in Explorer: the site in this folder, else the starter site beside it.
# `pause` keeps the window open to read why the preview stopped.
preview_cmd() {
  sed 's/$/\r/' <<'CMD'
@echo off
rem Previews a jiangtang site: the one in this folder, else the starter site in site\.
rem Stop it with Ctrl+C or by closing this window.
cd /d "%~dp0"
if not exist site.yaml if exist site\site.yaml cd /d "%~dp0site"
"%~dp0jiangtang.exe" serve --open
pause
CMD
}

rm -rf dist
mkdir -p dist
sizes=()
for target in "${targets[@]}"; do
  name="jiangtang-$version-$target"
  dir="$work/$name"
  mkdir -p "$dir"
  case "$target" in
    x86_64-pc-windows-gnu) exe=jiangtang.exe strip=x86_64-w64-mingw32-strip ;;
    aarch64-unknown-linux-gnu) exe=jiangtang strip=aarch64-linux-gnu-strip ;;
    *) exe=jiangtang strip=strip ;;
  esac
  "$strip" -o "$dir/$exe" "$out/$target/release/$exe"
  sizes+=("$(printf '%-28s %9d bytes stripped, %9d before' "$target" \
    "$(stat -c %s "$dir/$exe")" "$(stat -c %s "$out/$target/release/$exe")")")
  cp "$work/THIRD-PARTY-LICENSES.txt" LICENSE src/search/data/LICENSE-OpenCC.txt "$dir/"
  "$out/$host/release/jiangtang" init "$dir/site" >/dev/null
  "$out/$host/release/jiangtang" markdown --root "$dir/site" content/guide/editing.md >"$dir/editing.md"
  if grep -q '^ *```site-values' "$dir/editing.md"; then
    echo "dist: $name/editing.md still has a site-values block instead of its values" >&2
    exit 1
  fi
  if [ "$exe" = jiangtang.exe ]; then
    preview_cmd >"$dir/preview.cmd"
    (cd "$work" && zip -q -r -9 -X "$OLDPWD/dist/$name.zip" "$name")
  else
    tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "dist/$name.tar.gz" "$name"
  fi
done

printf '%s\n' "${sizes[@]}"
ls -l dist
