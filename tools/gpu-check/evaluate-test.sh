#!/usr/bin/env bash
# Checks gpu-check.sh's evaluation on synthetic logs written in GpuProbe's exact line format (GpuProbe.print, as
# GpuProbeTest pins it): a run that passes, one where the load never reached the GPU, and a board without power or
# energy readings. Needs only bash and awk. Not part of the Maven build: run it after changing gpu-check.sh.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

# reading LOG UTIL USED_GIB POWER ENERGY FIRST [PID]: one GpuProbe line for GPU 0; POWER/ENERGY "n/a" or numbers;
# FIRST=1 for a probe's first reading, which has no "last" interval.
reading() {
    local log=$1 util=$2 used=$3 power=$4 energy=$5 first=$6 pid=${7:-}
    local p e
    [ "$power" = n/a ] && p="n/a" || p=$(LC_ALL=C printf '%.1f W' "$power")
    [ "$energy" = n/a ] && e="n/a" || e=$(LC_ALL=C printf '%.1f J' "$energy")
    LC_ALL=C printf 'gpu 0 NVIDIA H200 util %5.1f%% mem %.2f/%.2f GiB power %s energy %s' \
        "$util" "$used" 139.8 "$p" "$e" >>"$log"
    if [ "$first" != 1 ]; then
        LC_ALL=C printf ' last 1.00 s: busy %.3f s, %s' "$(awk -v u="$util" 'BEGIN { print u / 100 }')" \
            "$([ "$power" = n/a ] && echo n/a || LC_ALL=C printf '%.1f J' "$power")" >>"$log"
    fi
    printf ' temp 41 C' >>"$log"
    [ -n "$pid" ] && LC_ALL=C printf ' pid %d sm %.0f%% mem %.0f%%' "$pid" "$util" 3 >>"$log"
    echo >>"$log"
}

# phase LOG COUNT UTIL... : COUNT readings; UTILS and POWERS cycle through the given lists; energy accumulates.
energy=50000
phase() {
    local log=$1 count=$2 power=$3 pid=$4
    shift 4
    local utils=("$@") i util
    echo "== 12:00:00 GpuProbe --count $count" >>"$log"
    for ((i = 0; i < count; i++)); do
        util=${utils[$((i < ${#utils[@]} ? i : ${#utils[@]} - 1))]}
        if [ "$power" != n/a ]; then
            energy=$(awk -v e="$energy" -v p="$power" 'BEGIN { print e + p }')
            reading "$log" "$util" 0.52 "$power" "$energy" $((i == 0)) "$pid"
        else
            reading "$log" "$util" 0.52 n/a n/a $((i == 0)) "$pid"
        fi
    done
    echo "== GpuProbe exit status 0" >>"$log"
}

expect() {
    local name=$1 dir=$2 status=$3
    shift 3
    local out actual line
    out=$("$HERE/gpu-check.sh" evaluate "$dir")
    actual=$?
    if [ "$actual" -ne "$status" ]; then
        echo "FAILED $name: exit status $actual, expected $status"
        echo "$out" | sed 's/^/    /'
        failures=$((failures + 1))
        return
    fi
    for line in "$@"; do
        if ! grep -qxF -- "$line" <<<"$out"; then
            echo "FAILED $name: no line '$line' in"
            echo "$out" | sed 's/^/    /'
            failures=$((failures + 1))
            return
        fi
    done
    echo "ok $name"
}

# A run that passes: idle at 0% and 80 W, then the load (first reading ramping up), then idle again.
pass=$TMP/pass
mkdir "$pass"
phase "$pass/probe-idle.log" 5 80.2 "" 0 0 1 0
echo "gpu_load: pid 4242, device 0 NVIDIA H200, 132 SMs, 1056 blocks x 256 threads, 123456 iterations per launch (calibration launch 0.50 ms), 20.0 s" >"$pass/load.log"
phase "$pass/probe-load.log" 10 455.5 4242 35 100
echo "gpu_load: done, 400 launches in 20.0 s, 50000 GFLOP/s FP32, result[0] = 1" >>"$pass/load.log"
echo "== gpu_load exit status 0" >>"$pass/load.log"
phase "$pass/probe-after.log" 5 90.1 "" 4 0
expect "a loaded GPU passes" "$pass" 0 \
    "PASS readings: GPU 0: 5 idle, 10 under load, 5 after" \
    "PASS idle utilization <= 10%: median 0.0% of 5 readings" \
    "PASS load utilization >= 90%: median 100.0% of readings 3..10" \
    "PASS load power > 1.5 x idle power: median 455.5 W under load, 80.2 W idle (x5.68)" \
    "PASS energy counter increasing: 50080.2 J -> 55406.5 J over all 20 readings; +4099.5 J over the 10 under load" \
    "PASS memory total > 0: 139.80 GiB; used 0.52 GiB idle, 0.52 GiB under load" \
    "INFO load generator pid 4242: in 10 of 10 readings under load; pids NVML reported last: 4242" \
    "INFO after the load: utilization median 0.0%, power 90.1 W" \
    "VERDICT: PASS (7 of 7 criteria)"

# The energy counter must never go down (here it starts again from 0 after the load).
reset=$TMP/reset
cp -r "$pass" "$reset"
energy=0
rm "$reset/probe-after.log"
phase "$reset/probe-after.log" 5 90.1 "" 0
expect "an energy counter that goes down fails" "$reset" 1 \
    "FAIL energy counter increasing: went down from 54956.0 J to 90.1 J" \
    "VERDICT: FAIL (1 of 7 criteria failed: energy counter increasing)"

# The load generator ran but the GPU stayed idle (the readings came from another GPU, say): idle numbers throughout.
idle=$TMP/idle
mkdir "$idle"
energy=50000
phase "$idle/probe-idle.log" 5 80.2 "" 0
cp "$pass/load.log" "$idle/load.log"
phase "$idle/probe-load.log" 10 81.0 "" 1 0
phase "$idle/probe-after.log" 5 80.2 "" 0
expect "an idle GPU under 'load' fails" "$idle" 1 \
    "PASS idle utilization <= 10%: median 0.0% of 5 readings" \
    "FAIL load utilization >= 90%: median 0.0% of readings 3..10" \
    "FAIL load power > 1.5 x idle power: median 81.0 W under load, 80.2 W idle (x1.01)" \
    "PASS energy counter increasing: 50080.2 J -> 51612.0 J over all 20 readings; +729.0 J over the 10 under load" \
    "INFO load generator pid 4242: in 0 of 10 readings under load; pids NVML reported last: none" \
    "VERDICT: FAIL (2 of 7 criteria failed: load utilization >= 90%, load power > 1.5 x idle power)"

# A board whose driver gives neither power nor energy: those criteria fail and say why.
na=$TMP/na
mkdir "$na"
phase "$na/probe-idle.log" 5 n/a "" 0
cp "$pass/load.log" "$na/load.log"
phase "$na/probe-load.log" 10 n/a "" 100
phase "$na/probe-after.log" 5 n/a "" 0
expect "missing power and energy readings fail" "$na" 1 \
    "PASS load utilization >= 90%: median 100.0% of readings 3..10" \
    "FAIL load power > 1.5 x idle power: power reads n/a: the driver gives no power reading" \
    "FAIL energy counter increasing: energy reads n/a: the driver gives no energy counter" \
    "VERDICT: FAIL (2 of 7 criteria failed: load power > 1.5 x idle power, energy counter increasing)"

# A host without a driver: GpuProbe's one line is the reason, and gpu_load's error is shown.
none=$TMP/none
mkdir "$none"
for p in idle load after; do
    printf '%s\n' "== 12:00:00 GpuProbe --count 5" \
        "GpuProbe: no GPU readings: NVML library 'nvidia-ml' could not be loaded (no NVIDIA driver on this host?)" \
        "== GpuProbe exit status 1" >"$none/probe-$p.log"
done
printf '%s\n' "gpu_load: cudaGetDeviceCount failed: no CUDA-capable device is detected" "== gpu_load exit status 1" \
    >"$none/load.log"
expect "no driver fails with GpuProbe's reason" "$none" 1 \
    "FAIL readings: GPU 0: 0 idle, 0 under load, 0 after; GpuProbe: no GPU readings: NVML library 'nvidia-ml' could not be loaded (no NVIDIA driver on this host?)" \
    "FAIL load generator: gpu_load: cudaGetDeviceCount failed: no CUDA-capable device is detected [== gpu_load exit status 1]" \
    "VERDICT: FAIL (7 of 7 criteria failed: readings, load generator, idle utilization <= 10%, load utilization >= 90%, load power > 1.5 x idle power, energy counter increasing, memory total > 0)"

expect_usage() {
    local out
    out=$("$HERE/gpu-check.sh" evaluate "$TMP/absent" 2>&1)
    if [ $? -eq 2 ] && grep -qF "probe-idle.log is missing" <<<"$out"; then
        echo "ok a missing log is named"
    else
        echo "FAILED a missing log is named: $out"
        failures=$((failures + 1))
    fi
}
expect_usage

[ "$failures" -eq 0 ] && echo "all evaluation checks passed" || echo "$failures evaluation check(s) failed"
exit $((failures > 0))
