-- wrk script: cycles through request paths read from a file (one per line, given after "--") and,
-- when done, prints one line of JSON with the counts and latency percentiles (microseconds).
local paths = {}
local next_index = 1

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then
      paths[#paths + 1] = wrk.format("GET", line)
    end
  end
  file:close()
  -- Each wrk thread starts at another place in the list.
  next_index = (math.random(1, #paths))
end

function request()
  local req = paths[next_index]
  next_index = next_index % #paths + 1
  return req
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
    '"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
