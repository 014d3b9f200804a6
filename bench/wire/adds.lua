-- wrk script for bench/wire: POST /v3/memories/add/ with the body memport import sends for a
-- 5-message conversation (infer false, one import key in metadata), every text unique.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
    thread:set("thread_id", #threads)
    table.insert(threads, thread)
end

function init(args)
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Accept"] = "application/json"
    wrk.headers["Authorization"] = "Token " .. (os.getenv("BENCH_KEY") or "bench-key")
end

function request()
    counter = counter + 1
    local c = thread_id .. "-" .. counter
    local messages = {}
    for i = 0, 4 do
        local role = (i % 2 == 0) and "user" or "assistant"
        messages[#messages + 1] = string.format(
            '{"content":"conversation %s message %d: remember fact %s-%d","role":"%s"}', c, i, c, i, role)
    end
    local body = string.format(
        '{"infer":false,"messages":[%s],"metadata":{"memport_import_key":"wrk-%s"},"user_id":"wrk"}',
        table.concat(messages, ","), c)
    return wrk.format(nil, "/v3/memories/add/", nil, body)
end

function done(summary, latency, requests)
    local non2xx = summary.errors.status
    io.write(string.format("wrk: requests=%d non2xx=%d seconds=%.3f adds_per_s=%.1f mean_latency_ms=%.1f\n",
        summary.requests, non2xx, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency.mean / 1000))
end
