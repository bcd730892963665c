-- The mixed load of `make bench` (see end2end/bench_mixed.sh, which puts
-- `origin`, `cookies`, `lessons` and `ids` above this). Half the requests
-- are a visitor's, half a signed-in learner's, in the proportions of
-- end2end/reliability.py's mixed load (sign-ins and registrations are sent
-- by a side client instead).
local words = {"database", "index", "cache", "http", "status", "tls", "queue", "rust", "zz9", "a+OR+b", "%25", "*"}
local pages = {"/", "/lessons", "/salaries?country=United+Kingdom", "/salaries?role=%ZZ"}
for _, p in ipairs(lessons) do table.insert(pages, p) end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  fives = 0
end

local function form(path, body, cookie)
  local h = {["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin}
  if cookie then h["Cookie"] = cookie end
  return wrk.format("POST", path, h, body)
end

function request()
  if math.random() < 0.5 then
    -- A visitor: browse 35, search 25, malformed 20 (of reliability.py's 80
    -- without sign-in and registration).
    local v = math.random()
    if v < 0.4375 then
      return wrk.format("GET", pages[math.random(#pages)], {})
    elseif v < 0.75 then
      return wrk.format("GET", "/search?q=" .. words[math.random(#words)], {})
    else
      local targets = {"/progress/complete", "/lessons/databases/indexes/quiz"}
      return form(targets[math.random(2)], "%%%=&&\0")
    end
  end
  -- A learner: read 40, mark complete 30, quiz submit 30.
  local cookie = cookies[math.random(#cookies)]
  local v = math.random()
  local i = math.random(#lessons)
  if v < 0.4 then
    return wrk.format("GET", lessons[i], {["Cookie"] = cookie})
  elseif v < 0.7 then
    return form("/progress/complete", "lesson_id=" .. ids[math.random(#ids)] .. "&done=" .. math.random(0, 1), cookie)
  else
    local t = {}
    for k = 1, 24 do t[k] = string.format("%x", math.random(0, 15)) end
    return form(lessons[i] .. "/quiz", "attempt=" .. table.concat(t) .. "&q1=x", cookie)
  end
end

function response(status, headers, body)
  if status >= 500 then fives = fives + 1 end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("fives") end
  io.write(string.format("FIVES %d\n", n))
end
