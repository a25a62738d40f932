# Kprobe registration and its health check, shared by the initramfs /init (busybox ash)
# and kernel/capture.sh (bash); POSIX sh, sourced, no side effects when sourced.
#
# The kernel parses a multi-line write to kprobe_events up to the first probe it rejects
# (a symbol that a kernel config inlined or left out) and drops every line after it, so
# each probe is written on its own, appended (">>": opening with ">" would clear the
# probes already registered).

# kprobe_write FILE LINE: one probe definition, appended. Tests replace this function.
kprobe_write() {
  printf '%s\n' "$2" >> "$1" 2>/dev/null
}

# register_probes FILE: the probe definitions on stdin, one per line (blank lines skipped;
# a leading '?' marks a probe as optional). Prints, for each probe,
#   CAPTURE: kprobe registered NAME SYMBOL
#   CAPTURE: kprobe rejected NAME SYMBOL              (a required probe)
#   CAPTURE: kprobe optional-rejected NAME SYMBOL
# and returns 1 if a required probe was rejected, else 0. Every probe is tried.
register_probes() {
  _rp_file=$1 _rp_bad=0
  while IFS= read -r _rp_line; do
    [ -n "$_rp_line" ] || continue
    _rp_opt=0
    case "$_rp_line" in "?"*) _rp_opt=1; _rp_line=${_rp_line#?} ;; esac
    set -f; set -- $_rp_line; set +f
    _rp_name=${1#*:} _rp_sym=${2:-?}
    if kprobe_write "$_rp_file" "$_rp_line"; then
      echo "CAPTURE: kprobe registered $_rp_name $_rp_sym"
    elif [ "$_rp_opt" = 1 ]; then
      echo "CAPTURE: kprobe optional-rejected $_rp_name $_rp_sym"
    else
      echo "CAPTURE: kprobe rejected $_rp_name $_rp_sym"
      _rp_bad=1
    fi
  done
  return $_rp_bad
}

# probe_health CONSOLE: the capture's verdict on its probes, from the guest's console log.
# Prints one line naming the first rejected required probe (and how many were rejected), or
# the first event that could not be enabled, and returns 1; prints nothing and returns 0
# when every required probe was registered and every event enabled. A console with no
# registration lines at all (an /init that never got that far) also fails.
probe_health() {
  _ph_rej=$(tr -d '\r' < "$1" | sed -n 's/.*CAPTURE: kprobe rejected \([^ ]*\) \([^ ]*\).*/\1 (\2)/p')
  if [ -n "$_ph_rej" ]; then
    _ph_n=$(echo "$_ph_rej" | wc -l | tr -d ' ')
    echo "kprobe $(echo "$_ph_rej" | head -1) was rejected by kprobe_events ($_ph_n required probe(s) missing; see $1)"
    return 1
  fi
  _ph_ev=$(tr -d '\r' < "$1" | sed -n 's/.*CAPTURE: cannot enable \(.*\)$/\1/p' | head -1)
  if [ -n "$_ph_ev" ]; then
    echo "cannot enable $_ph_ev (see $1)"
    return 1
  fi
  if ! tr -d '\r' < "$1" | grep -q 'CAPTURE: kprobe registered '; then
    echo "no kprobe was registered (see $1)"
    return 1
  fi
  return 0
}
