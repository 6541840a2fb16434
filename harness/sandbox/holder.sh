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
#   HOLDER_READY_MS    how long to wait for tcpdump's "listening on"
#   HOLDER_BARRIER_MS  how long to wait for the marker in the capture file
#   HOLDER_CAPTURE_BYTES    the capture file's size limit (tcpdump dies of SIGXFSZ there)
#   HOLDER_CAPTURE_PACKETS  the packets tcpdump writes before it stops (-c)
# Output lines (stdout): READY, ERROR <CODE> <text>, CAPTURE_ENDED, BARRIER_MS=<n>, BARRIER_TIMEOUT,
# TCPDUMP_RC=<n>, DONE.
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
now_us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }

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
  msg=$(mkdir -p -m 0700 "$scratch/work/.tmp" && cd "$scratch/work/.tmp" && mkdir -m 0700 $(seq 0 31) 2>&1) ||
    fail WORKDIR "$msg"
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
if [ "$HOLDER_CAPTURE" = 1 ]; then
  pre=()
  extra=()
  if [ "$HOLDER_MODE" = host ]; then
    # No pid namespace kills tcpdump with the holder here: tie it to the holder. As real root, Debian's
    # tcpdump would switch to its own user, which clears that death signal and chowns the file: stay root.
    pre=(setpriv --pdeathsig=KILL --)
    [ "$(id -u)" = 0 ] && extra=(-Z root)
  fi
  # shellcheck disable=SC2086 # the filter is a list of words
  # The capture budget: the kernel stops the file at HOLDER_CAPTURE_BYTES (RLIMIT_FSIZE), however fast the
  # traffic, and tcpdump stops itself after HOLDER_CAPTURE_PACKETS packets. Its kernel buffer is 8 MiB (-B,
  # KiB) rather than libpcap's 2 MiB: a burst of 64 KiB loopback segments fills 2 MiB in 32 packets.
  "${pre[@]}" prlimit --fsize="$HOLDER_CAPTURE_BYTES" -- tcpdump -U -n -i lo -s 0 -B 8192 -c "$HOLDER_CAPTURE_PACKETS" \
    "${extra[@]}" -w "$out/capture.pcap" $HOLDER_FILTER 2>"$out/tcpdump.err" &
  tpid=$!
  deadline=$(($(now_us) + HOLDER_READY_MS * 1000))
  until grep -q 'listening on' "$out/tcpdump.err" 2>/dev/null; do
    if ! kill -0 "$tpid" 2>/dev/null; then
      wait "$tpid"
      fail TCPDUMP_NOT_READY "tcpdump exited with code $?: $(cat "$out/tcpdump.err")"
    fi
    [ "$(now_us)" -gt "$deadline" ] && fail TCPDUMP_NOT_READY "no 'listening on' after $HOLDER_READY_MS ms: $(cat "$out/tcpdump.err")"
    sleep 0.02
  done
fi
say READY

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
  # them away. Send a marker, wait until it is in the file (so everything before it is too), then stop.
  start=$(now_us)
  deadline=$((start + HOLDER_BARRIER_MS * 1000))
  marker="GRADER-END-$HOLDER_NONCE"
  printf '%s' "$marker" 2>/dev/null >/dev/udp/127.0.0.1/9
  # libpcap hands a ring block (256 KiB with TPACKET_V3) to tcpdump when it is full or after its 1 s
  # timeout. Filling the block with marker-tagged filler hands the marker over at once instead of up to a
  # second later. Each datagram is one write under 8 KiB and starts with the marker, so the analysis
  # ignores all of them.
  filler="$marker-$(printf '%*s' 6000 '' | tr ' ' '.')"
  for _ in $(seq 48); do
    printf '%s' "$filler" 2>/dev/null >/dev/udp/127.0.0.1/9
  done
  until grep -qaF "$marker" "$out/capture.pcap" 2>/dev/null; do
    if [ "$(now_us)" -gt "$deadline" ]; then
      say BARRIER_TIMEOUT
      break
    fi
    sleep 0.02
  done
  say "BARRIER_MS=$((($(now_us) - start) / 1000))"
  kill -INT "$tpid" 2>/dev/null
  wait "$tpid" 2>/dev/null
  say "TCPDUMP_RC=$?"
fi
say DONE
