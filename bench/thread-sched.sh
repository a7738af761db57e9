#!/usr/bin/env bash
# Who ran and who waited for a core: per-thread CPU time and run-queue time of the brokers and of
# Kafka's load tools, from the kernel's scheduler statistics (/proc/PID/task/TID/schedstat).
#
#   bench/thread-sched.sh record BROKER_PID OUTFILE   sample every 0.5 s until the broker exits
#   bench/thread-sched.sh report OUTFILE              one block per load-tool process
#
# record follows the MemoryStreamer broker BROKER_PID, any Apache Kafka broker (kafka.Kafka) and
# every process running one of Kafka's tools (org.apache.kafka.tools.*), and writes one line per
# thread and sample: time, pid, role, tid, thread name, ns on a CPU, ns runnable but waiting for
# one. Every other process, kernel threads included, gets one line for its first thread (role
# other). It reads /proc with shell built-ins only: about 1 % of a core.
# `bench/run.sh --sched-log F` runs it beside a comparison.
#
# report prints, for each load-tool process (one harness step: a producer, a consumer or the
# end-to-end latency tool), its threads and both brokers' threads over that process's lifetime,
# grouped by name (thread numbers folded to N), and the busiest other processes: seconds on a
# CPU / seconds waiting for a CPU. A thread that waits about as long as it runs is competing for
# the cores; compare the tool's own JIT (C1/C2 CompilerThread) with its main thread, and the
# broker under load with the idle one.
set -euo pipefail

usage() {
  awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$(readlink -f "${BASH_SOURCE[0]}")"
  exit "${1:-2}"
}

# role_of PID: memorystreamer, kafka, Tool@bootstrap, or other
role_of() {
  local pid=$1 args=() i tool="" bootstrap=""
  if [[ "$pid" == "$BROKER_PID" ]]; then echo memorystreamer; return; fi
  mapfile -d "" args 2>/dev/null <"/proc/$pid/cmdline" || { echo other; return; }
  for (( i = 0; i < ${#args[@]}; i++ )); do
    case "${args[i]}" in
      kafka.Kafka) echo kafka; return ;;
      org.apache.kafka.tools.*) tool=${args[i]##*.} ;;
      --bootstrap-server|--broker-list) bootstrap=${args[i + 1]:-} ;;
    esac
  done
  if [[ -n "$tool" ]]; then echo "$tool@${bootstrap:-?}"; else echo other; fi
}

record() {
  local out=$1 dir pid command key task run wait name now
  declare -A role=()
  : >"$out"
  while [[ -d /proc/$BROKER_PID ]]; do
    now=$EPOCHREALTIME
    for dir in /proc/[0-9]*; do
      pid=${dir#/proc/}
      # keyed by the command name too: a forked child execs its tool after it was first seen
      read -r command 2>/dev/null <"$dir/comm" || continue
      key="$pid $command"
      if [[ -z "${role[$key]:-}" ]]; then
        # only JVMs: a wrapper such as timeout(1) carries its tool's command line too
        if [[ "$command" == java ]]; then role[$key]=$(role_of "$pid"); else role[$key]=other; fi
      fi
      if [[ "${role[$key]}" == other ]]; then
        # any other process, kernel threads included: its first thread only
        read -r run wait _ 2>/dev/null <"$dir/schedstat" || continue
        printf '%s %s other %s %s %s %s\n' "$now" "$pid" "$pid" "${command// /_}" "$run" "$wait"
        continue
      fi
      for task in "$dir"/task/*; do
        { read -r run wait _ <"$task/schedstat" && read -r name <"$task/comm"; } 2>/dev/null || continue
        printf '%s %s %s %s %s %s %s\n' "$now" "$pid" "${role[$key]}" "${task##*/}" "${name// /_}" "$run" "$wait"
      done
    done >>"$out"
    sleep 0.5
  done
}

report() {
  awk '
    # broker-request-3 and GC_Thread#0 fold to broker-request-N and GC_Thread#N; C1 and C2 stay
    function group(role, name) {
      if (role == "other") gsub(/[0-9]+/, "N", name)
      else { gsub(/-[0-9]+/, "-N", name); gsub(/#[0-9]+/, "#N", name) }
      return name
    }
    function broker(role) { return role == "memorystreamer" || role == "kafka" || role == "other" }
    function clock(t) { return strftime("%H:%M:%S", int(t)) }
    # pass 1: the lifetime of every load-tool process
    NR == FNR {
      if (!broker($3)) {
        if (!($2 in start)) { start[$2] = $1; tool[$2] = $3; order[++tools] = $2 }
        end[$2] = $1
      }
      next
    }
    # pass 2: first and last sample of each thread inside each tool window
    {
      for (w = 1; w <= tools; w++) {
        p = order[w]
        if ($1 < start[p] || $1 > end[p]) continue
        if (!broker($3) && $2 != p) continue
        k = w SUBSEP $3 SUBSEP $4
        if (!(k in run0)) { run0[k] = $6; wait0[k] = $7; name[k] = $5 }
        run1[k] = $6; wait1[k] = $7
      }
    }
    END {
      for (k in run0) {
        split(k, part, SUBSEP)
        g = part[1] SUBSEP part[2] SUBSEP group(part[2], name[k])
        on[g] += (run1[k] - run0[k]) / 1e9
        waiting[g] += (wait1[k] - wait0[k]) / 1e9
      }
      for (w = 1; w <= tools; w++) {
        p = order[w]
        printf "%s pid %s at %s, %.1f s (seconds on a CPU / waiting for one)\n", tool[p], p, clock(start[p]), end[p] - start[p]
        split(tool[p] " memorystreamer kafka other", roles, " ")
        for (r = 1; r <= 4; r++) {
          line = ""
          # the four busiest thread groups of this role, busiest first
          delete shown
          for (n = 1; n <= 4; n++) {
            best = ""
            for (g in on) {
              split(g, part, SUBSEP)
              if (part[1] != w || part[2] != roles[r] || (g in shown) || on[g] + waiting[g] < 0.02) continue
              if (best == "" || on[g] > on[best]) best = g
            }
            if (best == "") break
            shown[best] = 1
            split(best, part, SUBSEP)
            line = line sprintf("  %s %.2f/%.2f", part[3], on[best], waiting[best])
          }
          if (line != "") printf "  %-16s%s\n", (r == 1 ? "tool" : roles[r]), line
        }
      }
    }' "$1" "$1"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  record)
    [[ $# -eq 3 ]] || usage
    BROKER_PID=$2
    record "$3" ;;
  report)
    [[ $# -eq 2 && -r "$2" ]] || usage
    report "$2" ;;
  -h|--help) usage 0 ;;
  *) usage ;;
esac
