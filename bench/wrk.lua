-- Used by bench/run.py: each thread stops after BENCH_MAX_REQUESTS responses (or when wrk's
-- duration ends) and the run prints a JSON summary.
local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
local cookie = os.getenv("BENCH_COOKIE") or ""
local counted = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if cookie ~= "" then wrk.headers["Cookie"] = cookie end
end

function response(status, headers, body)
  counted = counted + 1
  if max_requests > 0 and counted >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local non2xx = errors.status + errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.6f, "bytes": %d, "errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, non2xx,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
