#!/usr/bin/env bash
# Checks Seismo's NVML path (GpuProbe) on a real GPU host in one run, and prints PASS/FAIL per criterion.
#
#   tools/gpu-check/gpu-check.sh prepare         on the build machine: Java runtime, jars, load generator
#   tools/gpu-check/gpu-check.sh run             on the GPU host, from the repo root, with .gpu-check beside it
#   tools/gpu-check/gpu-check.sh evaluate DIR    judges the logs a run left in DIR (run does this itself)
#
# prepare needs a JDK 17 (jlink), Maven and nvcc (CUDA 12.x or 13.x; no GPU needed). It writes the ignored folder
# .gpu-check (a jlinked runtime, seismo-core and its runtime jars, the gpu_load binary), under 60 MiB. run needs only
# the NVIDIA driver and bash, awk, timeout; no Java, no CUDA toolkit. It takes about 40 s (at most ~3 min): GpuProbe
# 5 readings idle, gpu_load keeps GPU 0 busy for 20 s while GpuProbe takes 10 readings, then 5 readings after. Logs
# go to $OUT if set, else .gpu-check/out; exit status 0 only when every criterion passes.
#
# With this workplace's device tool: run `prepare` in the checkout the tool sends (the session's own, not a helper's
# worktree), then make this one call:
#
#   run(command="bash tools/gpu-check/gpu-check.sh run", carry=[".gpu-check"], timeout_s=240)
#
# What comes back: the verdict in output_tail, and under files_at: env.log, probe-idle.log, probe-load.log,
# probe-after.log, load.log, verdict.log.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK="$ROOT/.gpu-check"
LOAD_SECONDS=20
MAX_MIB=60

die() {
    echo "gpu-check: $*" >&2
    exit 2
}

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH; $2"
}

prepare() {
    need jlink "install a JDK 17 (its jmods too: Debian's openjdk-17-jmods) or put its bin/ first on PATH"
    need mvn "install Maven 3.9+"
    need nvcc "install the CUDA toolkit (12.x or 13.x) or put /usr/local/cuda/bin on PATH; no GPU is needed to build"
    rm -rf "$WORK" || die "cannot remove the old $WORK"
    mkdir -p "$WORK/lib" "$WORK/bin" || die "cannot create $WORK"

    echo "gpu-check: jlink a runtime into $WORK/jre"
    # java.logging for JNA, java.management and jdk.management for the CPU readings: FIELD-NOTES section 4.
    jlink --add-modules java.base,java.management,jdk.management,jdk.unsupported,java.logging \
        --compress=2 --strip-debug --no-header-files --no-man-pages --output "$WORK/jre" \
        || die "jlink failed (above); it needs a JDK 17 with its jmods"
    # The legal notices of the other modules are links to java.base's; the device tool carries links only as
    # links, so make them plain files.
    find "$WORK/jre" -type l | while read -r link; do
        cp --remove-destination "$(readlink -f "$link")" "$link" || die "cannot replace the link $link"
    done || exit 2

    echo "gpu-check: build seismo-core and copy its runtime jars into $WORK/lib"
    (cd "$ROOT" && mvn -B -q -Dstyle.color=never package dependency:copy-dependencies -pl core -am -DskipTests \
        -DincludeScope=runtime -DoutputDirectory="$WORK/lib") || die "the Maven build failed (above)"
    local jar
    jar=$(ls "$ROOT"/core/target/seismo-core-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -1)
    [ -n "$jar" ] || die "no core/target/seismo-core-*.jar after the build"
    cp "$jar" "$WORK/lib/" || die "cannot copy $jar"

    echo "gpu-check: compile the load generator into $WORK/bin"
    # sm_90 machine code for Hopper, plus PTX so newer GPUs can run it; static cudart: the host needs only the driver.
    nvcc -O2 -cudart static -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 \
        -o "$WORK/bin/gpu_load" "$ROOT/tools/gpu-check/gpu_load.cu" || die "nvcc failed (above)"

    local jre lib bin total travel
    jre=$(du -sb "$WORK/jre" | cut -f1)
    lib=$(du -sb "$WORK/lib" | cut -f1)
    bin=$(du -sb "$WORK/bin" | cut -f1)
    total=$(du -sb "$WORK" | cut -f1)
    # What the device tool sends besides .gpu-check: tracked files and untracked ones git does not ignore.
    travel=$(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null \
        | awk '{ s += $1 } END { print s + 0 }')
    awk -v jre="$jre" -v lib="$lib" -v bin="$bin" -v total="$total" -v travel="$travel" -v max="$MAX_MIB" 'BEGIN {
        m = 1048576
        printf "gpu-check: .gpu-check is %.1f MiB (jre %.1f, lib %.1f, bin %.1f); with the working tree (%.1f MiB) %.1f MiB travel, of 64\n",
            total / m, jre / m, lib / m, bin / m, travel / m, (total + travel) / m
        exit !(total < max * m)
    }' || die ".gpu-check is over $MAX_MIB MiB: the device tool carries 64 MiB with the working tree"
    echo "gpu-check: ready; on the GPU host run: bash tools/gpu-check/gpu-check.sh run"
}

# Prints the path of a gpu_load that starts here: the prepared one, else one built with this host's nvcc (a binary
# built on another image can miss this one's system libraries).
load_generator() {
    local bin="$WORK/bin/gpu_load"
    [ -x "$bin" ] || chmod +x "$bin" 2>/dev/null
    if "$bin" --help >/dev/null 2>&1; then
        echo "$bin"
        return 0
    fi
    if command -v nvcc >/dev/null 2>&1; then
        echo "gpu-check: the prepared gpu_load does not start here; building it with this host's nvcc" >&2
        mkdir -p "$WORK/rebuilt" && nvcc -O2 -cudart static -gencode arch=compute_90,code=sm_90 \
            -gencode arch=compute_90,code=compute_90 -o "$WORK/rebuilt/gpu_load" "$ROOT/tools/gpu-check/gpu_load.cu" >&2 \
            && echo "$WORK/rebuilt/gpu_load" && return 0
    fi
    echo "gpu-check: $bin does not start here and there is no nvcc to rebuild it" >&2
    return 1
}

probe() {
    local count=$1 log=$2
    echo "== $(date -u +%H:%M:%S) GpuProbe --count $count" >>"$log"
    timeout 60 "$WORK/jre/bin/java" -cp "$WORK/lib/*" dev.seismo.resource.GpuProbe --count "$count" >>"$log" 2>&1
    echo "== GpuProbe exit status $?" >>"$log"
}

smi() {
    if command -v nvidia-smi >/dev/null 2>&1; then
        echo "== $(date -u +%H:%M:%S) nvidia-smi, $1" >>"$DIR/env.log"
        timeout 20 nvidia-smi --query-gpu=index,name,utilization.gpu,power.draw,memory.used,memory.total \
            --format=csv,noheader >>"$DIR/env.log" 2>&1
    fi
}

run() {
    local java="$WORK/jre/bin/java"
    [ -d "$WORK/jre" ] && [ -d "$WORK/lib" ] \
        || die "$WORK/jre or $WORK/lib is missing: run 'tools/gpu-check/gpu-check.sh prepare' on the build machine and carry .gpu-check"
    DIR=${OUT:-$WORK/out}
    mkdir -p "$DIR" || die "cannot create $DIR"
    rm -f "$DIR"/env.log "$DIR"/probe-*.log "$DIR"/load.log "$DIR"/verdict.log
    # The copy may not keep the executable bits.
    [ -x "$java" ] || chmod +x "$WORK"/jre/bin/* 2>/dev/null
    [ -x "$java" ] || die "$java is not executable and chmod +x failed"

    {
        echo "== $(date -u) $(uname -srm)"
        if command -v nvidia-smi >/dev/null 2>&1; then
            timeout 20 nvidia-smi -L 2>&1
        else
            echo "nvidia-smi not found"
        fi
    } | tee "$DIR/env.log"
    smi "before"

    echo "gpu-check: GpuProbe idle, 5 readings"
    probe 5 "$DIR/probe-idle.log"

    echo "gpu-check: gpu_load for $LOAD_SECONDS s, GpuProbe 10 readings during it"
    local gen pid
    # CUDA numbers GPUs fastest first by default, NVML by PCI bus; make CUDA's 0 NVML's 0.
    export CUDA_DEVICE_ORDER=PCI_BUS_ID
    if gen=$(load_generator 2>>"$DIR/load.log"); then
        timeout $((LOAD_SECONDS + 30)) "$gen" "$LOAD_SECONDS" 0 >>"$DIR/load.log" 2>&1 &
        pid=$!
        # Probe once the calibration launch is over and the load runs (its first line), or it has failed.
        for _ in $(seq 1 100); do
            grep -q '^gpu_load: pid' "$DIR/load.log" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        sleep 2
        smi "under load"
        probe 10 "$DIR/probe-load.log"
        wait "$pid"
        echo "== gpu_load exit status $?" >>"$DIR/load.log"
    else
        echo "== gpu_load did not start" >>"$DIR/load.log"
        probe 10 "$DIR/probe-load.log"
    fi

    echo "gpu-check: GpuProbe after the load, 5 readings"
    sleep 2
    smi "after"
    probe 5 "$DIR/probe-after.log"

    echo "gpu-check: logs in $DIR"
    evaluate "$DIR" | tee "$DIR/verdict.log"
    return "${PIPESTATUS[0]}"
}

# Judges GPU 0's readings in DIR/probe-{idle,load,after}.log and DIR/load.log; exit status 0 when all pass.
evaluate() {
    local dir=$1 f
    for f in probe-idle.log probe-load.log probe-after.log load.log; do
        [ -f "$dir/$f" ] || die "$dir/$f is missing: give the folder a run wrote"
    done
    awk -v gpu=0 '
    function median(a, n,    i, j, t, b) {
        if (n == 0) return "none"
        for (i = 1; i <= n; i++) b[i] = a[i] + 0
        for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
        return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    function verdict(name, ok, detail) {
        printf "%s %s: %s\n", ok ? "PASS" : "FAIL", name, detail
        total++
        if (!ok) { failed++; failedNames = failedNames (failedNames == "" ? "" : ", ") name }
    }
    # Phases: idle, load and after from probe-PHASE.log; gen from load.log, the load generator output.
    FNR == 1 { ph = FILENAME; sub(/.*\//, "", ph); sub(/\.log$/, "", ph); ph = sub(/^probe-/, "", ph) ? ph : "gen" }
    ph == "gen" && /^gpu_load: pid / { loadPid = $3; sub(/,$/, "", loadPid) }
    ph == "gen" && /^gpu_load: done/ { loadDone = $0 }
    ph == "gen" && /^gpu_load: / && !/^gpu_load: (pid|done)/ && loadError == "" { loadError = $0 }
    ph == "gen" && /^== gpu_load / { loadStatus = $0 }
    ph != "gen" && /^GpuProbe: / && probeError == "" { probeError = $0 }
    ph != "gen" && $1 == "gpu" && $2 == gpu {
        n = ++count[ph]
        seenMem = 0
        for (i = 3; i < NF; i++) {
            if ($i == "util" && !((ph, n) in util)) { v = $(i + 1); sub(/%$/, "", v); util[ph, n] = v + 0 }
            else if ($i == "mem" && !seenMem) { seenMem = 1; split($(i + 1), m, "/"); used[ph, n] = m[1] + 0; memTotal[ph, n] = m[2] + 0 }
            else if ($i == "power") power[ph, n] = $(i + 1)
            else if ($i == "energy") energy[ph, n] = $(i + 1)
            else if ($i == "pid") pids[ph, n] = pids[ph, n] " " $(i + 1)
        }
        order[++all] = ph SUBSEP n
    }
    END {
        # Readings: a failing GpuProbe prints one line, which is the reason for every FAIL below.
        why = probeError != "" ? probeError : "no \"gpu " gpu " ...\" lines"
        enough = count["idle"] >= 3 && count["load"] >= 5
        verdict("readings", enough, sprintf("GPU %d: %d idle, %d under load, %d after%s", gpu, count["idle"] + 0,
            count["load"] + 0, count["after"] + 0, enough ? "" : "; " why))

        verdict("load generator", loadDone != "", loadDone != "" ? loadDone \
            : (loadError != "" ? loadError : "no \"gpu_load: done\" line") (loadStatus != "" ? " [" loadStatus "]" : ""))

        for (i = 1; i <= count["idle"]; i++) { iu[i] = util["idle", i]; ip[i] = power["idle", i] }
        # The first two readings under load can still cover the ramp-up.
        k = 0
        for (i = 3; i <= count["load"]; i++) { k++; lu[k] = util["load", i]; lp[k] = power["load", i] }
        idleUtil = median(iu, count["idle"] + 0)
        loadUtil = median(lu, k)

        verdict("idle utilization <= 10%", idleUtil != "none" && idleUtil <= 10,
            idleUtil == "none" ? "no idle readings" : sprintf("median %.1f%% of %d readings", idleUtil, count["idle"]))
        verdict("load utilization >= 90%", loadUtil != "none" && loadUtil >= 90,
            loadUtil == "none" ? "fewer than 3 readings under load" : sprintf("median %.1f%% of readings 3..%d", loadUtil, count["load"]))

        numeric = 1
        for (i = 1; i <= count["idle"]; i++) if (ip[i] == "n/a") numeric = 0
        for (i = 1; i <= k; i++) if (lp[i] == "n/a") numeric = 0
        if (count["idle"] == 0 || k == 0) {
            verdict("load power > 1.5 x idle power", 0, "no readings to compare")
        } else if (!numeric) {
            verdict("load power > 1.5 x idle power", 0, "power reads n/a: the driver gives no power reading")
        } else {
            idlePower = median(ip, count["idle"]); loadPower = median(lp, k)
            verdict("load power > 1.5 x idle power", loadPower > 1.5 * idlePower,
                sprintf("median %.1f W under load, %.1f W idle (x%.2f)", loadPower, idlePower, idlePower > 0 ? loadPower / idlePower : 0))
        }

        # Every reading in run order: never down, and up over the load.
        ok = all > 0; prev = ""; detail = ""
        for (i = 1; i <= all; i++) {
            e = energy[order[i]]
            if (e == "n/a") { ok = 0; detail = "energy reads n/a: the driver gives no energy counter"; break }
            if (prev != "" && e + 0 < prev + 0) { ok = 0; detail = sprintf("went down from %s J to %s J", prev, e); break }
            prev = e
        }
        if (ok && count["load"] >= 2) {
            rise = energy["load", count["load"]] - energy["load", 1]
            ok = rise > 0
            detail = sprintf("%s J -> %s J over all %d readings; +%.1f J over the %d under load", energy[order[1]],
                energy[order[all]], all, rise, count["load"])
        } else if (ok) {
            ok = 0; detail = "fewer than 2 readings under load"
        }
        verdict("energy counter increasing", ok, all == 0 ? "no readings" : detail)

        ok = all > 0
        for (i = 1; i <= all; i++) if (!(memTotal[order[i]] > 0)) ok = 0
        verdict("memory total > 0", ok, all == 0 ? "no readings" : sprintf("%.2f GiB; used %.2f GiB idle, %.2f GiB under load",
            memTotal[order[1]], used["idle", 1], used["load", count["load"]]))

        # Report only: inside a container NVML gives host pids, which differ from the ones seen here.
        seen = 0; reported = ""
        for (i = 1; i <= count["load"]; i++) {
            if (index(pids["load", i] " ", " " loadPid " ") && loadPid != "") seen++
            if (pids["load", i] != "") reported = pids["load", i]
        }
        printf "INFO load generator pid %s: in %d of %d readings under load; pids NVML reported last:%s\n",
            loadPid == "" ? "unknown" : loadPid, seen, count["load"] + 0, reported == "" ? " none" : reported
        if (count["after"] > 0) {
            for (i = 1; i <= count["after"]; i++) au[i] = util["after", i]
            last = power["after", count["after"]]
            printf "INFO after the load: utilization median %.1f%%, power %s\n", median(au, count["after"]),
                last == "n/a" ? last : last " W"
        }

        if (failed) printf "VERDICT: FAIL (%d of %d criteria failed: %s)\n", failed, total, failedNames
        else printf "VERDICT: PASS (%d of %d criteria)\n", total, total
        exit failed > 0
    }' "$dir/probe-idle.log" "$dir/probe-load.log" "$dir/probe-after.log" "$dir/load.log"
}

case "${1:-}" in
    prepare) prepare ;;
    run) run ;;
    evaluate)
        [ $# -eq 2 ] || die "usage: gpu-check.sh evaluate DIR"
        evaluate "$2" ;;
    *) die "usage: gpu-check.sh prepare | run | evaluate DIR (see the comment at the top of $0)" ;;
esac
