#!/bin/bash
# The run holder. In namespace mode it is PID 1 of the run's user, net, pid and mount namespaces (started by
# `unshare … --pid --fork --kill-child --mount-proc`); in host mode it is a plain process on the host.
# It prepares the run, starts tcpdump, prints READY, waits for STOP on stdin, then runs the capture barrier
# (docs/sandbox.md).
#
# Usage: holder.sh OUTDIR SCRATCHDIR
# Settings come from the environment (set by harness/sandbox/holder.ts):
#   HOLDER_MODE        namespace | host
#   HOLDER_WORK_BYTES  size of the tmpfs mounted on SCRATCHDIR/work (0: plain directory)
#   HOLDER_SEED        1: copy SCRATCHDIR/sub into SCRATCHDIR/work
#   HOLDER_NFT         1: load SCRATCHDIR/rules.nft with nft -f
#   HOLDER_CAPTURE     1: run tcpdump
#   HOLDER_FILTER      tcpdump filter expression (host mode), empty for none
#   HOLDER_NONCE       the barrier marker's nonce
#   HOLDER_CAPTURE_BLOCKS   the capture file's size limit in KiB (tcpdump dies of SIGXFSZ there)
#   HOLDER_CAPTURE_PACKETS  the packets tcpdump writes before it stops (-c)
# Input lines (stdin): STOP (send the barrier's marker), then END (stop tcpdump); end of input stands for both.
# Output lines (stdout): READY, ERROR <CODE> <text>, CAPTURE_ENDED, MARKED, TCPDUMP_RC=<n>, DONE.
# Every wait is on an event (a line of tcpdump's or of socklab's): the holder starts no helper process once
# tcpdump runs, and socklab times each wait (holder.ts).
set -u
export LC_ALL=C
out=$1
scratch=$2

say() { printf '%s\n' "$*"; }
fail() {
  say "ERROR $1 ${2//$'\n'/ | }"
  [ -n "${tpid:-}" ] && kill -KILL "$tpid" 2>/dev/null
  exit 3
}

if [ "$HOLDER_WORK_BYTES" -gt 0 ]; then
  # nr_inodes bounds the kernel memory a flood of empty files can take (a submission holds at most 5,000).
  msg=$(mount -t tmpfs -o "size=$HOLDER_WORK_BYTES,nr_inodes=16384,mode=0700" tmpfs "$scratch/work" 2>&1) ||
    fail WORKDIR "$msg"
fi
if [ "$HOLDER_SEED" = 1 ]; then
  msg=$(cp -R "$scratch/sub/." "$scratch/work/" 2>&1) || fail SEED "$msg"
fi
if [ "$HOLDER_WORK_BYTES" -gt 0 ]; then
  # The programs' /tmp folders, made before any program runs (one that fills the disk cannot keep the
  # next program from starting): the work tmpfs's size and inode limits bound them too.
  tmp=$scratch/work/.tmp
  if [ -d "$tmp" ]; then
    msg=$(mkdir -m 0700 "$tmp/"{0..31} 2>&1) || fail WORKDIR "$msg"
  else
    msg=$(mkdir -m 0700 "$tmp" "$tmp/"{0..31} 2>&1) || fail WORKDIR "$msg"
  fi
fi
if [ "$HOLDER_MODE" = namespace ]; then
  # A fresh network namespace starts with lo DOWN.
  msg=$(ip link set lo up 2>&1) || fail LO_UP "$msg"
  # The namespace is the run's own: its ports below 1024 need no privilege (the handout's "privileged ports"
  # are the host's). Where the kernel refuses, a student server on such a port says PermissionError.
  echo 0 2>/dev/null >/proc/sys/net/ipv4/ip_unprivileged_port_start || true
fi
if [ "$HOLDER_NFT" = 1 ]; then
  msg=$(nft -f "$scratch/rules.nft" 2>&1) || fail NFT "$msg"
fi

tpid=
rpid=
if [ "$HOLDER_CAPTURE" = 1 ]; then
  pre=()
  extra=()
  if [ "$HOLDER_MODE" = host ]; then
    # No pid namespace kills tcpdump with the holder here: tie it to the holder. As real root, Debian's
    # tcpdump would switch to its own user, which clears that death signal and chowns the file: stay root.
    pre=(setpriv --pdeathsig=KILL --)
    [ "$(id -u)" = 0 ] && extra=(-Z root)
  fi
  # tcpdump's stderr goes through a reader (a subshell of this one, no new program) that keeps it in
  # tcpdump.err and says READY at its "listening on", or ERROR when tcpdump ends before it.
  exec {errfd}> >(
    ready=
    while IFS= read -r line; do
      printf '%s\n' "$line" >>"$out/tcpdump.err"
      if [ -z "$ready" ] && [[ $line == *"listening on"* ]]; then
        ready=1
        say READY
      fi
    done
    if [ -z "$ready" ]; then
      text=$(<"$out/tcpdump.err")
      say "ERROR TCPDUMP_NOT_READY tcpdump exited before it listened: ${text//$'\n'/ | }"
    fi
  )
  rpid=$!
  # The capture budget: the kernel stops the file at HOLDER_CAPTURE_BLOCKS KiB (RLIMIT_FSIZE, bash's ulimit
  # in tcpdump's own process), however fast the traffic, and tcpdump stops itself after
  # HOLDER_CAPTURE_PACKETS packets. Its kernel buffer is 8 MiB (-B, KiB) rather than libpcap's 2 MiB: a burst
  # of 64 KiB loopback segments fills 2 MiB in 32 packets.
  # shellcheck disable=SC2086 # the filter is a list of words
  {
    ulimit -f "$HOLDER_CAPTURE_BLOCKS" || exit 125
    exec "${pre[@]}" tcpdump -U -n -i lo -s 0 -B 8192 -c "$HOLDER_CAPTURE_PACKETS" \
      "${extra[@]}" -w "$out/capture.pcap" $HOLDER_FILTER 2>&"$errfd" {errfd}>&-
  } &
  tpid=$!
  exec {errfd}>&-
else
  say READY
fi

# Wait for STOP (end of input counts as STOP too).
while IFS= read -r line; do
  [ "$line" = STOP ] && break
done

if [ -n "$tpid" ] && ! kill -0 "$tpid" 2>/dev/null; then
  # tcpdump ended before the run did: the capture budget was reached (or tcpdump failed). No barrier.
  say CAPTURE_ENDED
  wait "$tpid" 2>/dev/null # bash's own note of a job killed by SIGXFSZ
  say "TCPDUMP_RC=$?"
elif [ -n "$tpid" ]; then
  # The capture barrier: tcpdump may hold packets in its ring buffer for about a second, and SIGINT throws
  # them away. Send a marker; socklab waits until it is in the file (so everything before it is too), then
  # says END.
  marker="GRADER-END-$HOLDER_NONCE"
  printf '%s' "$marker" 2>/dev/null >/dev/udp/127.0.0.1/9
  # libpcap hands a ring block (256 KiB with TPACKET_V3) to tcpdump when it is full or after its 1 s
  # timeout. Filling the block with marker-tagged filler hands the marker over at once instead of up to a
  # second later. Each datagram is one write under 8 KiB and starts with the marker, so the analysis
  # ignores all of them.
  printf -v pad '%6000s' ''
  filler="$marker-${pad// /.}"
  for ((i = 0; i < 48; i++)); do
    printf '%s' "$filler" 2>/dev/null >/dev/udp/127.0.0.1/9
  done
  say MARKED
  while IFS= read -r line; do
    [ "$line" = END ] && break
  done
  kill -INT "$tpid" 2>/dev/null
  wait "$tpid" 2>/dev/null
  say "TCPDUMP_RC=$?"
fi
# tcpdump's last words (its statistics) are in tcpdump.err once its reader has ended.
[ -n "$rpid" ] && wait "$rpid" 2>/dev/null
say DONE
