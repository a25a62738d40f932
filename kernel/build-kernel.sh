#!/usr/bin/env bash
# Build Linux 6.1 from Debian's linux-source-6.1 for kernel/capture.sh --kernel DIR:
# `make tinyconfig` plus kernel/build/qemu-capture.config (kprobes, tracepoints,
# syscall events, BTF, zram swap, NUMA emulation, KSM; THP off), built in-tree in
# DIR/nobug. A bug variant is built in that same tree: its patch applied, an
# incremental `make` (only the patched files recompile), the result copied out, the
# patch reverted. (A copy of the tree does not build incrementally: tools/objtool
# records absolute paths, is rebuilt, and every object depends on it.)
#
# usage: kernel/build-kernel.sh --variant nobug|bug-no-nested-flush|bug-no-batched-pending
#                               [--dir DIR] [--jobs N]
# DIR defaults to $MMUCHECK_KBUILD or ~/.cache/mmucheck-kbuild; the result is
# DIR/out/<variant>/{bzImage,vmlinux,kernel.release}, what capture.sh --kernel takes.
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
tree="$dir/nobug" res="$dir/out/$variant" log="$dir/$variant.log"
K="make ARCH=x86_64 -j$jobs"
t0=$(date +%s)
if [ -f "$res/bzImage" ] && [ -f "$res/vmlinux" ]; then
  echo "build-kernel: $variant already built in $res" >&2; exit 0
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

# The unchanged tree: Debian's source, configured once.
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
# Every option the capture relies on must have survived olddefconfig.
while read -r line; do
  case "$line" in CONFIG_*=y) grep -qx "$line" .config || die "config: $line requested but not set (a dependency is missing)";; esac
done < "$here/build/qemu-capture.config"
grep -q '^# CONFIG_TRANSPARENT_HUGEPAGE is not set' .config || die "config: TRANSPARENT_HUGEPAGE must be off"
if [ -n "$patch" ]; then
  patch -p1 -s --dry-run < "$patch" > /dev/null 2>&1 || die "patch $patch does not apply to $tree (a patch left applied?)"
  patch -p1 -s < "$patch"
  trap 'patch -p1 -R -s < "$patch" || echo "build-kernel: cannot revert $patch in $tree" >&2' EXIT
fi
nice -n 10 $K bzImage >> "$log" 2>&1 || die "make failed (see $log)"
mkdir -p "$res.tmp"
cp arch/x86/boot/bzImage vmlinux include/config/kernel.release "$res.tmp/"
rm -rf "$res" && mv "$res.tmp" "$res"
echo "build-kernel: $variant built in $(( $(date +%s) - t0 )) s: $res/bzImage" >&2
