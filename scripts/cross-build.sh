#!/usr/bin/env bash
# Release builds for the editors' desktops: Windows (x86_64-pc-windows-gnu) and Linux on
# x86-64 and ARM64 (x86_64-/aarch64-unknown-linux-gnu, e.g. Kunpeng and Phytium
# machines running UOS or Kylin). The binaries land in target/<target>/release/
# (or under $CARGO_TARGET_DIR), each checked before the script succeeds.
#
# Linux binaries must start on the oldest glibc editors have: 统信 UOS V20 ships 2.28,
# 麒麟 V10 2.31. Linked by this machine's compilers they would need its own glibc, so
# they are linked, and their C parts (libdeflate, mimalloc) compiled, by zig against
# glibc 2.28's symbols through cargo-zigbuild; both come from PyPI at the pinned versions
# below and are installed, once, into a cache folder. Windows is linked by Debian's
# MinGW-w64 (linker named in .cargo/config.toml).
#
#   scripts/cross-build.sh            Windows and ARM64 Linux
#   scripts/cross-build.sh TARGET…    only these (x86_64-unknown-linux-gnu too)
set -euo pipefail
cd "$(dirname "$0")/.."

glibc=2.28
zig_version=0.17.1
zigbuild_version=0.24.1

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(x86_64-pc-windows-gnu aarch64-unknown-linux-gnu)
fi
out="${CARGO_TARGET_DIR:-target}"

# What each target needs from Debian: MinGW-w64 for Windows; pip, for zig, for Linux.
packages=()
windows=() linux=()
for t in "${targets[@]}"; do
  case "$t" in
    x86_64-pc-windows-gnu)
      windows+=(--target "$t")
      command -v x86_64-w64-mingw32-gcc >/dev/null || packages+=(gcc-mingw-w64-x86-64)
      ;;
    x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu)
      linux+=(--target "$t.$glibc")
      ;;
    *) echo "cross-build: unknown target $t" >&2; exit 2 ;;
  esac
done
if ((${#linux[@]})) && ! python3 -m pip --version >/dev/null 2>&1; then
  packages+=(python3-pip)
fi
command -v readelf >/dev/null || packages+=(binutils)
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if ((${#packages[@]})); then
  apt_install() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; }
  # A fresh machine's package lists may be missing or stale: update then, only then.
  apt_install || { "${sudo[@]}" apt-get update -q && apt_install; }
fi

installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

# Windows first, then both Linux targets in one cargo run: the build scripts and
# procedural macros (compiled for this machine) are shared by all three, and the Linux
# targets compile side by side.
if ((${#windows[@]})); then
  cargo build --release --locked --bin jiangtang "${windows[@]}"
fi
if ((${#linux[@]})); then
  tools="${XDG_CACHE_HOME:-$HOME/.cache}/jiangtang/zigbuild-$zig_version-$zigbuild_version"
  if [ ! -x "$tools/bin/cargo-zigbuild" ]; then
    # --target: a folder of their own, beside no system package (PEP 668 allows it).
    pip=(--target "$tools.partial" --disable-pip-version-check)
    [ "$(id -u)" -ne 0 ] || pip+=(--root-user-action=ignore)
    rm -rf "$tools.partial"
    python3 -m pip install -q "${pip[@]}" "ziglang==$zig_version" "cargo-zigbuild==$zigbuild_version"
    rm -rf "$tools" && mv "$tools.partial" "$tools"
  fi
  PATH="$tools/bin:$tools/ziglang:$PATH" cargo zigbuild --release --locked --bin jiangtang "${linux[@]}"
fi

# What the binaries need of the systems they run on.
failed=0
for t in "${targets[@]}"; do
  case "$t" in
    x86_64-pc-windows-gnu)
      # Only DLLs every Windows 10 has: none of MinGW's (libgcc_s_seh-1.dll,
      # libwinpthread-1.dll), which an editor's machine lacks.
      bin="$out/$t/release/jiangtang.exe"
      for dll in $(x86_64-w64-mingw32-objdump -p "$bin" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u); do
        case "$dll" in
          kernel32.dll | ntdll.dll | advapi32.dll | userenv.dll | ws2_32.dll | bcryptprimitives.dll | \
            msvcrt.dll | shell32.dll | ole32.dll | oleaut32.dll | user32.dll | api-ms-win-*.dll) ;;
          *) echo "cross-build: $bin imports $dll, which Windows does not have" >&2; failed=1 ;;
        esac
      done
      ;;
    *)
      bin="$out/$t/release/jiangtang"
      newest=$(readelf --version-info --wide "$bin" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } |
        sed 's/^GLIBC_//' | sort -Vu | tail -n 1)
      if [ -z "$newest" ]; then
        echo "cross-build: $bin names no glibc version: not linked as expected" >&2
        failed=1
      elif [ "$(printf '%s\n' "$newest" "$glibc" | sort -V | tail -n 1)" != "$glibc" ]; then
        echo "cross-build: $bin needs glibc $newest; it must run on glibc $glibc (UOS V20)" >&2
        failed=1
      else
        echo "cross-build: $bin needs glibc $newest at most"
      fi
      ;;
  esac
done
exit "$failed"
