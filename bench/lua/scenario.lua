-- One wrk script for every scenario, chosen by environment variables:
--   SCENARIO   healthz | events | event | book_hot | book_spread | book_seats | me | static
--   TOKENS     path of tokens.lua (`tokens = {...}`), for authenticated scenarios
--   EVENT_ID   the event of book_hot / book_seats
--   EVENT_IDS  comma-separated ids for `event` and `book_spread`
--   SEAT_COLS  seats per row of the book_seats event (labels A-1 … are computed here)
--   RUN_ID     prefix of the Idempotency-Key, unique per run
--   OUT_JSON   where done() writes the result (JSON)
-- Every booking request carries a unique Idempotency-Key (RUN_ID-thread-counter) and the
-- token of the next user of the pool, so no two requests are replays of each other.

local scenario = os.getenv("SCENARIO") or "healthz"
local run_id = os.getenv("RUN_ID") or tostring(os.time())
local out_json = os.getenv("OUT_JSON") or "/dev/stdout"
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function split_ids(s)
  local ids = {}
  for id in string.gmatch(s or "", "%d+") do table.insert(ids, id) end
  return ids
end

local function row_label(i)  -- 0 -> A, 25 -> Z, 26 -> AA (bijective base 26)
  local label, n = "", i + 1
  while n > 0 do
    local rem = (n - 1) % 26
    label = string.char(65 + rem) .. label
    n = math.floor((n - 1) / 26)
  end
  return label
end

local counter, nthreads = 0, 1
statuses = {}  -- global: done() reads it from every thread with thread:get()
local ids, event_id, seat_cols
local book_body = '{"qty":1}'

function init(args)
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  ids = split_ids(os.getenv("EVENT_IDS"))
  event_id = os.getenv("EVENT_ID")
  seat_cols = tonumber(os.getenv("SEAT_COLS") or "20")
  local tokens_path = os.getenv("TOKENS")
  if tokens_path then dofile(tokens_path) else tokens = {"none"} end
  math.randomseed(os.time() + tid * 7919)
  if scenario == "healthz" then wrk.path = "/healthz"
  elseif scenario == "events" then wrk.path = "/events?page_size=20"
  elseif scenario == "static" then wrk.path = "/healthz"
  end
end

local function auth_headers(n)
  return {
    ["Authorization"] = "Bearer " .. tokens[(n * nthreads + tid) % #tokens + 1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run_id .. "-" .. tid .. "-" .. n,
  }
end

function request()
  counter = counter + 1
  local n = counter
  if scenario == "book_hot" then
    return wrk.format("POST", "/events/" .. event_id .. "/book", auth_headers(n), book_body)
  elseif scenario == "book_spread" then
    local id = ids[math.random(#ids)]
    return wrk.format("POST", "/events/" .. id .. "/book", auth_headers(n), book_body)
  elseif scenario == "book_seats" then
    -- every request names a different seat: thread tid takes seats tid, tid+T, tid+2T, ...
    local idx = (n - 1) * nthreads + tid
    local label = row_label(math.floor(idx / seat_cols)) .. "-" .. (idx % seat_cols + 1)
    return wrk.format("POST", "/events/" .. event_id .. "/book", auth_headers(n),
      '{"seat_ids":["' .. label .. '"]}')
  elseif scenario == "event" then
    return wrk.format("GET", "/events/" .. ids[math.random(#ids)])
  elseif scenario == "me" then
    return wrk.format("GET", "/me/bookings", {
      ["Authorization"] = "Bearer " .. tokens[(n * nthreads + tid) % #tokens + 1] })
  else
    return wrk.format("GET", wrk.path)
  end
end

function response(status, headers, body)
  local s = tostring(status)
  statuses[s] = (statuses[s] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for s, c in pairs(t:get("statuses")) do merged[s] = (merged[s] or 0) + c end
  end
  local parts = {}
  for s, c in pairs(merged) do table.insert(parts, '"' .. s .. '":' .. c) end
  local e = summary.errors
  local f = assert(io.open(out_json, "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"statuses":{%s},"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout, e.status))
  f:close()
end
