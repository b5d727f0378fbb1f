#!/usr/bin/env bash
# Release builds for the editors' desktops besides x86-64 Linux: Windows
# (x86_64-pc-windows-gnu) and ARM64 Linux (aarch64-unknown-linux-gnu, e.g. Kunpeng and
# Phytium machines running UOS or Kylin). Installs what is missing: Debian's cross
# compilers (they also compile the C parts, libdeflate and mimalloc) and the Rust
# standard libraries of both targets. Linkers and compilers are named in
# .cargo/config.toml. The binaries land in target/<target>/release/.
#
#   scripts/cross-build.sh            both targets
#   scripts/cross-build.sh TARGET…    only these
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(x86_64-pc-windows-gnu aarch64-unknown-linux-gnu)
fi

# The Debian package that provides each target's compiler.
packages=()
for t in "${targets[@]}"; do
  case "$t" in
    x86_64-pc-windows-gnu) command -v x86_64-w64-mingw32-gcc >/dev/null || packages+=(gcc-mingw-w64-x86-64) ;;
    aarch64-unknown-linux-gnu) command -v aarch64-linux-gnu-gcc >/dev/null || packages+=(gcc-aarch64-linux-gnu) ;;
    x86_64-unknown-linux-gnu) ;;
    *) echo "cross-build: unknown target $t" >&2; exit 2 ;;
  esac
done
if ((${#packages[@]})); then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  apt_install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; }
  # A fresh machine's package lists may be missing or stale: update then, only then.
  apt_install || { "${sudo[@]}" apt-get update -q && apt_install; }
fi

installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

# One cargo run for all targets: the build scripts and procedural macros (compiled for
# this machine) are built once and shared, and both targets compile side by side.
args=()
for t in "${targets[@]}"; do args+=(--target "$t"); done
cargo build --release --locked --bin jiangtang "${args[@]}"
