#!/usr/bin/env bash
# HTTP load run against `crossfeed serve` on loopback with wrk: N connections, each request one user against C
# candidates (half promotions, half ads), against the same body ranked in process by the same code
# (`crossfeed bench rank`, same concurrency) for the ratio of the two p50s. Rounds take turns (HTTP for D seconds,
# then in process for D seconds) and the summary gives medians over the rounds, so the shared machine's drift in
# speed, which moved whole runs by up to 1.5x, hits both sides alike. Prints each round, then the medians of
# requests/s, p50 and p99, the server's resident memory and the median ratio; any failed request fails the run.
# See docs/serving.md and docs/benchmarks.md.
#
# Both sides are timed after a warm-up of the same closed loop (--warmup seconds, default 10, untimed), so the JIT
# has compiled the hot code of each at its final tier: in a profile of the server, compilation took 9% of its CPU
# in its first 20 s under load and none later.
#
#   bench/http-load.sh BUNDLE [--connections 8] [--duration 10] [--rounds 3] [--warmup 10] [--candidates 100] [--port 18080] [--threads 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${1:?usage: bench/http-load.sh BUNDLE [--connections 8] [--duration 10] [--rounds 3] [--warmup 10] [--candidates 100] [--port 18080] [--threads 2]}"
shift
connections=8 duration=10 rounds=3 warmup=10 candidates=100 port=18080 threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --candidates) candidates="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "http-load: unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  echo "http-load: installing wrk (Debian package)" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y wrk >&2 || { apt-get update >&2 && apt-get install -y wrk >&2; }
  else sudo apt-get install -y wrk >&2; fi
fi

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# Build the CLI first, so the server's start-up is not a build.
"$root/crossfeed" --help >/dev/null
"$root/crossfeed" serve --model "$bundle" --urls "http://127.0.0.1:$port" --no-watch \
  --max-candidates "$candidates" --queue "$connections" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "http-load: the server exited:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "http-load: the server is not ready after 120 s" >&2; cat "$work/server.log" >&2; exit 1; }

# The queue holds every connection (2 scoring at once on 2 cores, the rest waiting), so a closed loop of N
# connections is never turned away: this run measures latency and throughput, not overload (tested apart).

# One request: user 17 of the simulated world, shows 1..C, ads with creatives and campaigns.
{
  printf '{"user":{"id":"17"},"context":{"hour":20,"day_of_week":4,"session_state":"browsing","surface":"home"},"candidates":['
  for i in $(seq 1 "$candidates"); do
    [ "$i" -gt 1 ] && printf ','
    if [ $((i % 2)) -eq 0 ]; then
      printf '{"id":"p%d","source":"promotion","show_id":"%d","features":{"slot":"home_shelf","modality":"display","layout":"shelf"}}' "$i" "$i"
    else
      printf '{"id":"a%d","source":"ad","show_id":"%d","creative_id":"%d","campaign_id":"%d","features":{"slot":"display_home_banner","modality":"display","layout":"banner"}}' "$i" "$i" "$i" $((i / 4))
    fi
  done
  printf ']}'
} >"$work/body.json"
status=$(curl -s -o "$work/first.json" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$work/body.json" "http://127.0.0.1:$port/v1/rank")
[ "$status" = 200 ] || { echo "http-load: a single request failed ($status):" >&2; cat "$work/first.json" >&2; exit 1; }

cat >"$work/rank.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/body.json", "rb"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

[ "$threads" -le "$connections" ] || threads=$connections
if [ "$warmup" -gt 0 ]; then
  echo "http-load: warming the server up for ${warmup} s (untimed)" >&2
  wrk -t "$threads" -c "$connections" -d "${warmup}s" -s "$work/rank.lua" "http://127.0.0.1:$port/v1/rank" >/dev/null
fi

# Rounds take turns: HTTP for D seconds, then the same work in process (the server idle), so drift in the shared
# machine's speed hits both sides alike; each round's ratio is within the round, the summary is the median.
: >"$work/rounds.txt"
for round in $(seq 1 "$rounds"); do
  wrk -t "$threads" -c "$connections" -d "${duration}s" --latency -s "$work/rank.lua" "http://127.0.0.1:$port/v1/rank" >"$work/wrk.txt"
  read -r requests seconds p50 p99 errors < <(sed -n 's/^RESULT requests=\([0-9]*\) seconds=\([0-9.]*\) p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\) errors=\([0-9]*\)$/\1 \2 \3 \4 \5/p' "$work/wrk.txt")
  [ "$errors" -eq 0 ] || { cat "$work/wrk.txt" >&2; echo "http-load: $errors requests failed in round $round" >&2; exit 1; }
  # The same body without HTTP: the service's own RankService and ranker, same callers, warmed up the same way.
  "$root/crossfeed" bench rank --model "$bundle" --request "$work/body.json" --concurrency "$connections" --duration "$duration" \
    --warmup "$warmup" >"$work/inprocess.txt" 2>"$work/inprocess.log" || { cat "$work/inprocess.log" >&2; exit 1; }
  in_p50=$(sed -n 's/.* p50 \([0-9.]*\) ms.*/\1/p' "$work/inprocess.txt")
  in_p99=$(sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p' "$work/inprocess.txt")
  in_rps=$(sed -n 's/.* requests\/s \([0-9.]*\),.*/\1/p' "$work/inprocess.txt")
  rps=$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.1f", r / s }')
  echo "$rps $p50 $p99 $in_rps $in_p50 $in_p99" >>"$work/rounds.txt"
  awk -v n="$round" -v hr="$rps" -v h="$p50" -v h99="$p99" -v ir="$in_rps" -v i="$in_p50" -v i99="$in_p99" 'BEGIN {
    printf "round %d: HTTP requests/s %.1f p50 %.3f ms p99 %.3f ms | in-process requests/s %.1f p50 %.3f ms p99 %.3f ms | p50 ratio %.2f\n", n, hr, h, h99, ir, i, i99, h / i }'
done
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
peak_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")

echo "connections $connections, $rounds rounds of ${duration} s per side, $candidates candidates per request, errors 0"
# Medians over the rounds (the middle one, or the mean of the middle two).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }' "$work/rounds.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" '{ print $a / $b }' "$work/rounds.txt" | median; }
echo "HTTP (median of rounds): requests/s $(col 1)   p50 $(col 2) ms   p99 $(col 3) ms   server RSS $((rss_kb / 1024)) MiB (peak $((peak_kb / 1024)) MiB)"
echo "in-process (median of rounds): requests/s $(col 4)   p50 $(col 5) ms   p99 $(col 6) ms"
echo "HTTP p50 / in-process p50, median of the rounds' ratios: $(ratio 2 5) (target <= 1.3); HTTP requests/s / in-process: $(ratio 1 4)"
