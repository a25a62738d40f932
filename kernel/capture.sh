#!/usr/bin/env bash
# Capture an ftrace trace of Linux's TLB-gather / MMU-notifier protocol from
# Debian's current kernel (or one built by kernel/build-kernel.sh) booted under
# qemu (TCG), for mmucheck's KernelView.
#
# usage: kernel/capture.sh --out DIR [--smp 2] [--threads 3] [--iters 200]
#                          [--notifier] [--fork] [--cache DIR] [--timeout SECS]
#                          [--kernel TREE | --build VARIANT]
#                          [--mprotect] [--madv-free] [--pageout] [--migrate] [--ksm]
# The last five add a workload thread each (kernel/workload.c): mprotect flips,
# MADV_FREE, MADV_PAGEOUT (reclaim with a batched flush; zram swap, a kernel with
# zram built in), move_pages(2) between two NUMA nodes, KSM merging by ksmd.
# --kernel TREE boots TREE/bzImage (offsets from TREE/vmlinux) instead of
# Debian's package; --build VARIANT first runs kernel/build-kernel.sh --variant
# VARIANT (long: a kernel build) and boots its tree.
# Writes DIR/trace.txt.gz (ftrace text), DIR/console.log, DIR/health.txt and
# DIR/offsets.txt. Exit 0 on a healthy capture, 1 on an unhealthy one
# (ring-buffer overrun, workload failure), 2 on bad usage or a broken chain
# (a required kprobe rejected, an event that cannot be enabled).
# The kernel is downloaded or built here, never committed; see kernel/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="" smp=2 threads=3 iters=200 notifier=0 fork=0 tmo=300 ktree="" build="" paths="" 
cache="${MMUCHECK_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmucheck-kernel}"
die() { echo "kernel-capture: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?}"; shift 2 ;;
    --smp) smp="${2:?}"; shift 2 ;;
    --threads) threads="${2:?}"; shift 2 ;;
    --iters) iters="${2:?}"; shift 2 ;;
    --notifier) notifier=1; shift ;;
    --fork) fork=1; shift ;;
    --cache) cache="${2:?}"; shift 2 ;;
    --timeout) tmo="${2:?}"; shift 2 ;;
    --kernel) ktree="${2:?}"; shift 2 ;;
    --mprotect) paths="$paths mprotect"; shift ;;
    --madv-free) paths="$paths madvfree"; shift ;;
    --pageout) paths="$paths pageout"; shift ;;
    --migrate) paths="$paths migrate"; shift ;;
    --ksm) paths="$paths ksm"; shift ;;
    --build) build="${2:?}"; shift 2 ;;
    *) die "unknown option '$1' (usage: capture.sh --out DIR [--smp N] [--threads N] [--iters N] [--notifier] [--fork] [--kernel TREE | --build VARIANT] [--mprotect] [--madv-free] [--pageout] [--migrate] [--ksm])" ;;
  esac
done
[ -n "$out" ] || die "--out DIR is required"
[ -z "$ktree" ] || [ -z "$build" ] || die "--kernel and --build exclude each other"
if [ -n "$build" ]; then
  "$here/build-kernel.sh" --variant "$build" || die "build-kernel.sh --variant $build failed"
  ktree="${MMUCHECK_KBUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/mmucheck-kbuild}/out/$build"
fi
if [ -n "$ktree" ]; then
  [ -f "$ktree/bzImage" ] || die "--kernel $ktree: no bzImage (build one with kernel/build-kernel.sh)"
  [ -f "$ktree/vmlinux" ] || die "--kernel $ktree: no vmlinux"
  [ "$notifier" = 0 ] || die "--notifier needs Debian's kernel and its kvm modules, not --kernel"
  ktree="$(cd "$ktree" && pwd)"
fi
for n in "$smp" "$threads" "$iters" "$tmo"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || die "numeric options take a positive integer, got '$n'"
done
[ "$threads" -le 16 ] || die "--threads at most 16"
[ "$smp" -le 64 ] || die "--smp at most 64 (the flush target mask is read as one 64-bit word)"
mkdir -p "$out" "$cache"
out="$(cd "$out" && pwd)"
t0=$(date +%s.%N)

# 1. Tools, from Debian's packages.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx gzip && file -L /bin/busybox 2>/dev/null | grep -q static || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v pahole >/dev/null || need+=(dwarves)
command -v gcc >/dev/null || need+=(gcc)
[ -e /usr/include/stdio.h ] || need+=(libc6-dev)
command -v xz >/dev/null || need+=(xz-utils)
command -v file >/dev/null || need+=(file)
if [ ${#need[@]} -gt 0 ]; then
  echo "kernel-capture: installing ${need[*]}" >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; } \
    > "$out/apt.log" 2>&1 || die "apt-get install ${need[*]} failed (see $out/apt.log)"
fi

# 2. The kernel: Debian's current linux-image-amd64, downloaded, never installed;
#    or a tree of kernel/build-kernel.sh.
if [ -n "$ktree" ]; then
  pkg="built-$(cat "$ktree/kernel.release" "$ktree/include/config/kernel.release" 2>/dev/null | head -1)-$(basename "$ktree")"
  kdir="$ktree" vmlinuz="$ktree/bzImage"
else
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$pkg" ]; then
  apt-get update -q > "$out/apt.log" 2>&1 || true
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
fi
[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a kernel package"
kdir="$cache/$pkg"
if [ ! -f "$kdir/vmlinux" ]; then
  rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
  (cd "$kdir.tmp" && apt-get download "$pkg" > download.log 2>&1) || die "apt-get download $pkg failed"
  dpkg-deb --fsys-tarfile "$kdir.tmp"/*.deb | tar -x -C "$kdir.tmp" --wildcards './boot/vmlinuz-*' \
    './lib/modules/*/kernel/virt/lib/irqbypass.ko' './lib/modules/*/kernel/drivers/crypto/ccp/ccp.ko' \
    './lib/modules/*/kernel/arch/x86/kvm/kvm.ko' './lib/modules/*/kernel/arch/x86/kvm/kvm-amd.ko' \
    || die "cannot extract the kernel from $pkg"
  mv "$kdir.tmp"/boot/vmlinuz-* "$kdir.tmp/vmlinuz"
  mkdir -p "$kdir.tmp/modules" && find "$kdir.tmp/lib" -name '*.ko' -exec mv {} "$kdir.tmp/modules/" \;
  # vmlinux (for its BTF): the xz stream inside the bzImage.
  off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kdir.tmp/vmlinuz" | head -1 | cut -d: -f1)
  [ -n "$off" ] || die "no xz payload in $pkg's vmlinuz"
  tail -c +$((off + 1)) "$kdir.tmp/vmlinuz" | xz -dcq > "$kdir.tmp/vmlinux" 2>/dev/null || true
  file "$kdir.tmp/vmlinux" | grep -q ELF || die "cannot decompress $pkg's vmlinuz"
  rm -rf "$kdir.tmp"/*.deb "$kdir.tmp/lib" "$kdir.tmp/boot" "$kdir"
  mv "$kdir.tmp" "$kdir"
fi
vmlinuz="$kdir/vmlinuz"
fi
echo "kernel-capture: kernel $pkg" >&2

# A built kernel keeps its symbols: kv/queue's pfn needs vmemmap_base (SPARSEMEM_VMEMMAP with a
# dynamic memory layout); without it the probe would be rejected.
# Without it (a classic SPARSEMEM_EXTREME memmap, one buffer per node), /init reads node 0's
# mem_map base from mem_section[0][0] at boot and passes it to kv/queue as an immediate.
memmap_from_section=0
syms=$( [ -z "$ktree" ] || nm "$kdir/vmlinux" 2>/dev/null | grep -E ' (vmemmap_base|mem_section)$' || true)
if [ -n "$ktree" ] && ! grep -q ' vmemmap_base$' <<< "$syms"; then
  grep -q ' mem_section$' <<< "$syms" \
    || die "$pkg has neither vmemmap_base nor mem_section: a page's pfn cannot be computed"
  case " $paths " in *" migrate "*) die "--migrate: $pkg has no vmemmap (two nodes, two mem_maps)";; esac
  memmap_from_section=1
fi
# 3. Fetch-arg offsets from the kernel's BTF (never hard-coded).
off() { # STRUCT MEMBER -> byte offset
  local v
  v=$(pahole -C "$1" "$kdir/vmlinux" 2>/dev/null | awk -v m="$2" '$0 ~ "[ *]" m ";" { sub(/.*\/\* */, ""); print $1 + 0; exit }')
  [ -n "$v" ] || die "BTF: no member $1.$2 in $pkg"
  echo "$v"
}
bits() { # STRUCT BITFIELD -> kprobe bitfield fetch type b1@BIT/32 at its byte offset (as OFF:TYPE)
  local v
  v=$(pahole -C "$1" "$kdir/vmlinux" 2>/dev/null | awk -v m="$2" '$0 ~ "[ ]" m ":1;" { sub(/.*\/\* */, ""); sub(/:/, " "); print $1 + 0, $2 + 0; exit }')
  [ -n "$v" ] || die "BTF: no bitfield $1.$2 in $pkg"
  set -- $v
  echo "+$1(%di):b1@$2/32"
}
size() { pahole -C "$1" "$kdir/vmlinux" | awk '/\/\* size: /{ sub(/.*size: /, ""); print $1 + 0; exit }'; }
MM_PENDING=$(off mm_struct tlb_flush_pending)
TLB_FREED_TABLES=$(bits mmu_gather freed_tables)
TLB_MM=$(off mmu_gather mm); TLB_START=$(off mmu_gather start); TLB_END=$(off mmu_gather end)
PAGE_SIZE_STRUCT=$(size page)
FI_MM=$(off flush_tlb_info mm); FI_START=$(off flush_tlb_info start); FI_END=$(off flush_tlb_info end)
FI_CPU=$(off flush_tlb_info initiating_cpu)
# A kernel without CONFIG_MMU_NOTIFIER (kernel/build-kernel.sh's) has no notifier functions
# to probe and no mm in struct mmu_notifier_range: no notifier can exist, the probes are left out.
if pahole -C mmu_notifier_range "$kdir/vmlinux" 2>/dev/null | grep -q '[ *]mm;'; then
  has_mn=1
  MR_MM=$(off mmu_notifier_range mm); MR_START=$(off mmu_notifier_range start); MR_END=$(off mmu_notifier_range end)
else
  has_mn=0 MR_MM=none MR_START=none MR_END=none
  [ "$notifier" = 0 ] || die "--notifier: $pkg has no MMU notifiers (CONFIG_MMU_NOTIFIER)"
fi
cat > "$out/offsets.txt" <<OFF
kernel $pkg
mm_struct.tlb_flush_pending $MM_PENDING
mmu_gather.mm $TLB_MM
mmu_gather.start $TLB_START
mmu_gather.end $TLB_END
mmu_gather.freed_tables $TLB_FREED_TABLES
sizeof(struct page) $PAGE_SIZE_STRUCT
flush_tlb_info.mm $FI_MM
flush_tlb_info.start $FI_START
flush_tlb_info.end $FI_END
flush_tlb_info.initiating_cpu $FI_CPU
mmu_notifier_range.mm $MR_MM
mmu_notifier_range.start $MR_START
mmu_notifier_range.end $MR_END
OFF
KPROBES="p:kv/gather tlb_gather_mmu tlb=%di mm=%si pending=+${MM_PENDING}(%si):s32
p:kv/gather_fullmm tlb_gather_mmu_fullmm tlb=%di mm=%si pending=+${MM_PENDING}(%si):s32
p:kv/finish tlb_finish_mmu tlb=%di mm=+${TLB_MM}(%di):x64 pending=+${MM_PENDING}(+${TLB_MM}(%di)):s32 start=+${TLB_START}(%di):x64 end=+${TLB_END}(%di):x64
r:kv/finish_ret tlb_finish_mmu
p:kv/queue __tlb_remove_page_size tlb=%di page=%si start=+${TLB_START}(%di):x64 end=+${TLB_END}(%di):x64 tables=${TLB_FREED_TABLES} vmemmap=@vmemmap_base:x64
p:kv/flush flush_tlb_mm_range mm=%di start=%si end=%dx freed=%r8:u8
p:kv/flush_multi native_flush_tlb_multi mask=+0(%di):x64 info=%si
p:kv/flush_func flush_tlb_func info=%di mm=+${FI_MM}(%di):x64 start=+${FI_START}(%di):x64 end=+${FI_END}(%di):x64 initiator=+${FI_CPU}(%di):u32
p:kv/switch_mm switch_mm_irqs_off prev=%di next=%si
p:kv/cow wp_page_copy
p:kv/mmdrop __mmdrop mm=%di
p:kv/exit_mm exit_mm_release tsk=%di mm=%si
r:kv/cow_ret wp_page_copy"
[ "$has_mn" = 0 ] || KPROBES="$KPROBES
p:kv/mn_register __mmu_notifier_register sub=%di mm=%si
p:kv/mn_start __mmu_notifier_invalidate_range_start mm=+${MR_MM}(%di):x64 start=+${MR_START}(%di):x64 end=+${MR_END}(%di):x64
p:kv/mn_end __mmu_notifier_invalidate_range_end mm=+${MR_MM}(%di):x64 start=+${MR_START}(%di):x64 end=+${MR_END}(%di):x64
p:kv/mn_invalidate __mmu_notifier_invalidate_range mm=%di start=%si end=%dx"
# The paths of --pageout, --migrate and --ksm: optional (a kernel may inline them);
# recorded for the trace's reader, not yet translated for KernelView.
# A function the compiler inlined has no symbol; in a built kernel (DWARF in its vmlinux,
# gdb here) its site inside the caller is probed instead, as CALLER+OFFSET:
#   inline_site FUNCTION -> CALLER+OFFSET of gdb's breakpoint address, or nothing.
inline_site() {
  [ -n "$ktree" ] && command -v gdb >/dev/null || return 0
  local a
  a=$(gdb -batch -ex "break $1" "$kdir/vmlinux" 2>/dev/null | sed -n 's/^Breakpoint 1 at \(0x[0-9a-f]*\).*/\1/p' | head -1)
  [ -n "$a" ] || return 0
  gdb -batch -ex "info symbol $a" "$kdir/vmlinux" 2>/dev/null | awk '$2 == "+" && $4 == "in" {print $1 "+" $3; exit}'
}
case " $paths " in *" pageout "*)
  KPROBES="$KPROBES
?p:kv/ttu_one try_to_unmap_one addr=%dx
?p:kv/ttu_flush try_to_unmap_flush
?p:kv/ttu_flush_dirty try_to_unmap_flush_dirty
?p:kv/batch_flush arch_tlbbatch_flush
?p:kv/batched_pending flush_tlb_batched_pending mm=%di"
  # set_tlb_ubc_flush_pending() (mm/rmap.c, static, inlined into try_to_unmap_one()): the
  # deferred flush of TTU_BATCH_FLUSH. gdb's breakpoint for it is a hoisted read of
  # `current`, so the probe goes on the store `tlb_ubc->flush_required = true` (found in
  # the disassembly with its source line), with mm from the register of the next
  # mm->tlb_flush_batched read and that counter (sampled before the increment).
  if [ -n "$ktree" ] && command -v gdb >/dev/null; then
    MM_BATCHED=$(off mm_struct tlb_flush_batched)
    ubc=$(gdb -batch -ex 'disassemble /s try_to_unmap_one' "$kdir/vmlinux" 2>/dev/null | awk -v o="$(printf '0x%x(%%' "$MM_BATCHED")" '
      /flush_required = true/ { f = 1; next }
      f && !at && match($0, /^ +0x[0-9a-f]+ <\+[0-9]+>:/) { at = $2; gsub(/[<>:]/, "", at); at = "try_to_unmap_one" at }
      f && at && index($0, o) { r = substr($0, index($0, o) + length(o)); sub(/\).*/, "", r)
                                if (r ~ /^r[a-ds][xip]$/) r = substr(r, 2)  # kprobes name them %ax .. %di
                                r = "%" r
                                print at, r; exit }
      END { if (at && !r) print at }')
    set -- $ubc
    if [ -n "${1:-}" ]; then
      if [ -n "${2:-}" ]; then KPROBES="$KPROBES
?p:kv/ubc_pending $1 mm=$2 batched=+${MM_BATCHED}($2):x32"
      else KPROBES="$KPROBES
?p:kv/ubc_pending $1"
      fi
    fi
  fi ;;
esac
case " $paths " in *" migrate "*)
  KPROBES="$KPROBES
?p:kv/migrate migrate_pages
?p:kv/remove_migration_ptes remove_migration_ptes" ;;
esac
case " $paths " in *" ksm "*)
  KPROBES="$KPROBES
?p:kv/ksm_wpp write_protect_page
?p:kv/ksm_replace replace_page"
  # Both are static in mm/ksm.c; where inlined (into try_to_merge_one_page()), their sites.
  for f in write_protect_page:ksm_wpp_at replace_page:ksm_replace_at; do
    nm "$kdir/vmlinux" 2>/dev/null | grep -q " [tT] ${f%%:*}\$" && continue
    site=$(inline_site "${f%%:*}")
    [ -z "$site" ] || KPROBES="$KPROBES
?p:kv/${f#*:} $site"
  done ;;
esac
EVENTS="kv syscalls/sys_enter_madvise syscalls/sys_exit_madvise syscalls/sys_enter_munmap syscalls/sys_exit_munmap
syscalls/sys_enter_mmap syscalls/sys_exit_mmap syscalls/sys_enter_clone syscalls/sys_exit_clone tlb/tlb_flush kmem/mm_page_free kmem/mm_page_free_batched
kmem/mm_page_alloc sched/sched_switch"
case " $paths " in *" mprotect "*) EVENTS="$EVENTS syscalls/sys_enter_mprotect syscalls/sys_exit_mprotect" ;; esac
case " $paths " in *" migrate "*) EVENTS="$EVENTS syscalls/sys_enter_move_pages syscalls/sys_exit_move_pages" ;; esac

# 4. The initramfs: static busybox, /init, the workload.
work="$out/initramfs"
rm -rf "$work" && mkdir -p "$work"/{bin,proc,sys,dev,etc,lib/modules,tmp}
cp /bin/busybox "$work/bin/busybox"
cp "$here/init.tmpl" "$work/init" && chmod +x "$work/init"
cp "$here/probes.sh" "$work/etc/probes.sh"
gcc -O2 -static -pthread -o "$work/bin/mmuwork" "$here/workload.c" || die "cannot build kernel/workload.c"
if [ "$notifier" = 1 ]; then
  for m in irqbypass ccp kvm kvm-amd; do cp "$kdir/modules/$m.ko" "$work/lib/modules/"; done
fi
{
  echo "THREADS=$threads ITERS=$iters FORK=$fork NOTIFIER=$notifier PATHS='$paths'"
  echo "MEMMAP_FROM_SECTION=$memmap_from_section"
  echo "MARK='mmucheck-capture kernel=$pkg smp=$smp threads=$threads iters=$iters fork=$fork notifier=$notifier sizeof_page=$PAGE_SIZE_STRUCT'"
  printf 'KPROBES=%q\n' "$KPROBES"
  printf 'EVENTS=%q\n' "$(echo $EVENTS)"
} > "$work/etc/capture.conf"
# printf %q may emit $'..' quoting, which busybox ash understands.
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1 > "$out/initramfs.cpio.gz")
rm -rf "$work"

# 5. Boot under TCG, bounded; the trace comes back gzip'ed on the second serial port.
rm -f "$out/trace.txt.gz" "$out/console.log"
t1=$(date +%s.%N)
set +e
# --migrate: two NUMA nodes, from qemu's ACPI SRAT for Debian's kernel, numa=fake for a
# built one (no ACPI).
# no_timer_check: under a starved TCG host the IO-APIC timer check panics the boot.
numa=() append="console=ttyS0 panic=-1 quiet no_timer_check"
case " $paths " in *" migrate "*)
  if [ -n "$ktree" ]; then append="$append numa=fake=2"
  else numa=(-object memory-backend-ram,id=m0,size=256M -object memory-backend-ram,id=m1,size=256M
             -numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1)
  fi ;;
esac
# One core per socket: SeaBIOS's MP table lists only the first logical CPU of a package
# (cpuid's HTT count), and a kernel without ACPI (build-kernel.sh's) takes its CPUs from
# that table: with `-smp 2` alone it booted one CPU ("smpboot: Allowing 1 CPUs").
timeout --kill-after=10 "$tmo" qemu-system-x86_64 -accel tcg,thread=multi -cpu max \
  -smp "$smp,sockets=$smp,cores=1,threads=1" -m 512M \
  -nodefaults -display none -monitor none -no-reboot \
  -kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" \
  "${numa[@]}" -append "$append" \
  -serial "file:$out/console.log" -serial "file:$out/trace.txt.gz" > "$out/qemu.log" 2>&1
qrc=$?
set -e
t2=$(date +%s.%N)
[ $qrc -eq 124 ] || [ $qrc -eq 137 ] && die "qemu did not finish within ${tmo}s (see $out/console.log)"
[ $qrc -eq 0 ] || die "qemu failed with exit $qrc (see $out/qemu.log)"

# 6. Health.
grep -q 'CAPTURE: trace sent' "$out/console.log" || die "the guest did not send the trace (see $out/console.log)"
. "$here/probes.sh"
why=$(probe_health "$out/console.log") || die "$why"
gzip -t "$out/trace.txt.gz" 2>/dev/null || die "the trace on the second serial port is not a complete gzip stream"
overruns=$(grep 'CAPTURE: stats' "$out/console.log" | sed -n 's/.*overrun: \([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')
dropped=$(grep 'CAPTURE: stats' "$out/console.log" | sed -n 's/.*dropped events: \([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')
misses=$(grep 'CAPTURE: kprobe .*misses=' "$out/console.log" | sed -n 's/.*misses=\([0-9]*\).*/\1/p' | awk '{s += $1} END {print s + 0}')
wrc=$(sed -n 's/.*CAPTURE: workload exit \([0-9]*\).*/\1/p' "$out/console.log" | tr -d '\r')
events=$(zcat "$out/trace.txt.gz" | grep -vc '^#' || true)
{
  echo "kernel $pkg"
  echo "options smp=$smp threads=$threads iters=$iters fork=$fork notifier=$notifier${paths:+ paths=${paths# }}"
  echo "events $events"
  echo "trace_gz_bytes $(stat -c %s "$out/trace.txt.gz")"
  echo "ring_buffer_overruns $overruns"
  echo "dropped_events $dropped"
  echo "kprobe_misses $misses"
  echo "cpus_online $(sed -n 's/.*CAPTURE: cpus online \([^ ]*\).*/\1/p' "$out/console.log" | tr -d '\r')"
  echo "kprobes_registered $(grep -c 'CAPTURE: kprobe registered ' "$out/console.log")"
  tr -d '\r' < "$out/console.log" | sed -n 's/.*CAPTURE: \(kprobe optional-rejected .*\)/\1/p; s/.*CAPTURE: \(vmstat .*\)/\1/p; s/.*CAPTURE: \(zram mm_stat .*\)/\1/p; s/.*CAPTURE: \(ksm pages_shared.*\)/\1/p; s/.*CAPTURE: \(swap on .*\)/\1/p'
  grep 'CAPTURE: kprobe registered kv/[a-z_]* [a-z_]*+' "$out/console.log" | tr -d '\r' | sed 's/.*CAPTURE: kprobe registered /kprobe_site /' || true
  grep 'CAPTURE: kprobe .*hits=' "$out/console.log" | tr -d '\r' | sed 's/.*CAPTURE: kprobe /kprobe /'
  zcat "$out/trace.txt.gz" | grep -v '^#' | sed -E 's/^.*\] [^ ]+ +[0-9.]+: ([a-z_0-9]+).*/\1/' \
    | sort | uniq -c | awk '{printf "count %s %d\n", $2, $1}'
  echo "workload_exit ${wrc:-none}"
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {printf "prepare_seconds %.1f\nqemu_seconds %.1f\n", b - a, c - b}'
} > "$out/health.txt"
cat "$out/health.txt"
[ "${wrc:-x}" = 0 ] || { echo "kernel-capture: workload failed (exit ${wrc:-none}); see $out/console.log" >&2; exit 1; }
[ "$overruns" = 0 ] && [ "$dropped" = 0 ] || { echo "kernel-capture: ring buffer overran ($overruns overruns, $dropped dropped)" >&2; exit 1; }
echo "kernel-capture: ok, $events events in $out/trace.txt.gz" >&2
