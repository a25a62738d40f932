#!/usr/bin/env bash
# Build Linux 6.1 from Debian's linux-source-6.1 for kernel/capture.sh --kernel DIR:
# `make tinyconfig` plus kernel/build/qemu-capture.config (kprobes, tracepoints,
# syscall events, BTF, KVM for the notifier, zram swap, NUMA, KSM; THP off), built
# in-tree so that a variant is a copy of the unchanged tree with one patch applied
# and an incremental rebuild.
#
# usage: kernel/build-kernel.sh --variant nobug|bug-no-nested-flush|bug-no-batched-pending
#                               [--dir DIR] [--jobs N]
# Variant trees go to DIR/<variant> (default $MMUCHECK_KBUILD or
# ~/.cache/mmucheck-kbuild); the result is DIR/<variant>/{bzImage,vmlinux}.
# Never run by CI: only `kernel-capture --build` or by hand. Exit 0 on success,
# 2 on bad usage or a failed step (one line naming it; the log is DIR/<variant>.log).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
variant="" dir="${MMUCHECK_KBUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/mmucheck-kbuild}" jobs=2
die() { echo "build-kernel: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant="${2:?}"; shift 2 ;;
    --dir) dir="${2:?}"; shift 2 ;;
    --jobs) jobs="${2:?}"; shift 2 ;;
    *) die "unknown option '$1' (usage: build-kernel.sh --variant V [--dir DIR] [--jobs N])" ;;
  esac
done
case "$variant" in
  nobug) patch="" ;;
  bug-no-nested-flush|bug-no-batched-pending) patch="$here/build/$variant.patch" ;;
  "") die "--variant is required (nobug, bug-no-nested-flush, bug-no-batched-pending)" ;;
  *) die "unknown variant '$variant' (nobug, bug-no-nested-flush, bug-no-batched-pending)" ;;
esac
[[ "$jobs" =~ ^[0-9]+$ ]] && [ "$jobs" -ge 1 ] || die "--jobs takes a positive integer, got '$jobs'"
[ -z "$patch" ] || [ -f "$patch" ] || die "no patch $patch"
mkdir -p "$dir" && dir="$(cd "$dir" && pwd)"
tree="$dir/$variant" log="$dir/$variant.log"
K="make ARCH=x86_64 -j$jobs"
t0=$(date +%s)
if [ -f "$tree/bzImage" ]; then
  echo "build-kernel: $variant already built in $tree" >&2; exit 0
fi

need=()
for p in build-essential bc flex bison libelf-dev libssl-dev dwarves cpio linux-source-6.1; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "build-kernel: installing ${need[*]}" >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; } > "$log" 2>&1 \
    || die "apt-get install ${need[*]} failed (see $log)"
fi

if [ "$variant" = nobug ]; then
  # The unchanged tree: Debian's source, configured, built from scratch.
  if [ ! -f "$tree/Makefile" ]; then
    rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
    tar -xf /usr/src/linux-source-6.1.tar.xz -C "$tree.tmp" || die "cannot extract /usr/src/linux-source-6.1.tar.xz"
    mv "$tree.tmp"/linux-source-6.1 "$tree" && rmdir "$tree.tmp"
  fi
  cd "$tree"
  if [ ! -f .config ]; then
    { $K tinyconfig && scripts/kconfig/merge_config.sh -m .config "$here/build/qemu-capture.config" \
      && $K olddefconfig; } > "$log" 2>&1 || die "configuring failed (see $log)"
  fi
else
  # A bug variant: a copy of the built unchanged tree (timestamps kept, so that
  # make rebuilds only what the patch touches), the patch applied once.
  [ -f "$dir/nobug/bzImage" ] || "$0" --variant nobug --dir "$dir" --jobs "$jobs"
  if [ ! -f "$tree/Makefile" ]; then
    rm -rf "$tree.tmp" && cp -a "$dir/nobug" "$tree.tmp" && rm -f "$tree.tmp/bzImage"
    (cd "$tree.tmp" && patch -p1 -s < "$patch") || die "patch $patch does not apply"
    mv "$tree.tmp" "$tree"
  fi
  cd "$tree"
fi
# Every option the capture relies on must have survived olddefconfig.
while read -r line; do
  case "$line" in CONFIG_*=y) grep -qx "$line" .config || die "config: $line requested but not set (a dependency is missing)";; esac
done < "$here/build/qemu-capture.config"
grep -q '^# CONFIG_TRANSPARENT_HUGEPAGE is not set' .config || die "config: TRANSPARENT_HUGEPAGE must be off"
nice -n 10 $K bzImage >> "$log" 2>&1 || die "make failed (see $log)"
cp arch/x86/boot/bzImage bzImage.new && mv bzImage.new bzImage
echo "build-kernel: $variant built in $(( $(date +%s) - t0 )) s: $tree/bzImage" >&2
