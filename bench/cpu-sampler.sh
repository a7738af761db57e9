#!/usr/bin/env bash
# Samples who uses the CPU, once a second, until the broker process exits.
#
#   bench/cpu-sampler.sh BROKER_PID OUTFILE
#
# Each line: time, machine busy % (of all cores), the broker's CPU % (of one core), then the three
# other processes that used the most CPU in that second as comm:pid:% (of one core). Read with the
# harness's progress lines (their [hh:mm:ss] times) to see what ran during a slow step.
set -euo pipefail
PID=$1
OUT=$2
HZ=$(getconf CLK_TCK)
CORES=$(nproc)

proc_ticks() { # pid -> utime+stime, or nothing when gone
  local fields
  fields=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
  set -- $fields
  echo $(( ${12} + ${13} ))
}

all_ticks() { # "pid comm ticks" for every process
  local stat pid rest comm fields
  for stat in /proc/[0-9]*/stat; do
    read -r line <"$stat" 2>/dev/null || continue
    pid=${line%% *}
    comm=${line#*(}; comm=${comm%%)*}; comm=${comm// /_}
    rest=${line##*) }
    set -- $rest
    echo "$pid $comm $(( ${12} + ${13} ))"
  done
}

machine_ticks() { # busy total
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  echo "$(( user + nice + system + irq + softirq + steal )) $(( user + nice + system + idle + iowait + irq + softirq + steal ))"
}

declare -A before
while read -r p c t; do before[$p]=$t; done < <(all_ticks)
read -r busy0 total0 < <(machine_ticks)
broker0=$(proc_ticks "$PID")
: >"$OUT"
while kill -0 "$PID" 2>/dev/null; do
  sleep 1
  read -r busy1 total1 < <(machine_ticks)
  broker1=$(proc_ticks "$PID")
  [[ -n "$broker1" ]] || break
  top=$(all_ticks | while read -r p c t; do
      [[ "$p" == "$PID" ]] && continue
      d=$(( t - ${before[$p]:-$t} ))
      if (( d > 0 )); then echo "$d $c:$p"; fi
    done | sort -rn | head -3 | awk -v hz="$HZ" '{printf " %s:%d", $2, $1 * 100 / hz}')
  while read -r p c t; do before[$p]=$t; done < <(all_ticks)
  dt=$(( total1 - total0 ))
  (( dt > 0 )) || dt=1
  printf '%s busy=%d%% broker=%d%%%s\n' "$(date +%H:%M:%S)" $(( (busy1 - busy0) * 100 / dt )) \
    $(( (broker1 - broker0) * 100 / HZ )) "$top" >>"$OUT"
  busy0=$busy1 total0=$total1 broker0=$broker1
done
