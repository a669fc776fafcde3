-- Applies one change set atomically: every check first, then every write. Either all of it
-- happens or none of it (a failed check writes nothing), so a transition, its index moves and
-- its audit entries can never be half-written, and of two racing changes exactly one wins.
--
-- KEYS: every key the change touches.  ARGV[1]: JSON {checks = [...], ops = [...]}, each
-- naming keys by their 1-based index into KEYS.
--   check {k, field, eq}        HGET KEYS[k] field must equal eq (false = field absent)
--   check {k, absent = true}    KEYS[k] must not exist
--   check {k, budget = {used, total, need}}  HGET used + need <= HGET total (missing = 0)
-- Returns {'ok'} or {'conflict', checkIndex, actual}: the field's value, the owner id held by a
-- uniqueness key, or false.
local change = cjson.decode(ARGV[1])

for i, check in ipairs(change.checks) do
  local key = KEYS[check.k]
  if check.absent then
    if redis.call('EXISTS', key) == 1 then
      -- A uniqueness key holds the id of its owner: report who has it.
      local owner = redis.call('TYPE', key).ok == 'string' and redis.call('GET', key) or 'exists'
      return {'conflict', i, owner}
    end
  elseif check.budget then
    local used = tonumber(redis.call('HGET', key, check.budget.used) or '0') or 0
    local total = tonumber(redis.call('HGET', key, check.budget.total) or '0') or 0
    if used + check.budget.need > total then return {'conflict', i, tostring(total - used)} end
  else
    local actual = redis.call('HGET', key, check.field)
    if check.eq == false then
      if actual then return {'conflict', i, actual} end
    elseif actual ~= check.eq then
      return {'conflict', i, actual or false}
    end
  end
end

-- Redis does not roll back a script that fails half-way, so refuse bad ops before writing.
local known = {hset = 1, hdel = 1, hincrby = 1, zadd = 1, zrem = 1, sadd = 1, srem = 1, set = 1, del = 1, xadd = 1, rpush = 1}
for _, op in ipairs(change.ops) do
  if not known[op.op] or not KEYS[op.k] then
    return redis.error_reply('apply-change: bad op ' .. tostring(op.op) .. ' on key ' .. tostring(op.k))
  end
end

for _, op in ipairs(change.ops) do
  local key = KEYS[op.k]
  if op.op == 'hset' then
    redis.call('HSET', key, unpack(op.fields))
  elseif op.op == 'hdel' then
    redis.call('HDEL', key, unpack(op.fields))
  elseif op.op == 'hincrby' then
    redis.call('HINCRBY', key, op.field, op.by)
  elseif op.op == 'zadd' then
    redis.call('ZADD', key, op.score, op.member)
  elseif op.op == 'zrem' then
    redis.call('ZREM', key, op.member)
  elseif op.op == 'sadd' then
    redis.call('SADD', key, op.member)
  elseif op.op == 'srem' then
    redis.call('SREM', key, op.member)
  elseif op.op == 'set' then
    if op.px then redis.call('SET', key, op.value, 'PX', op.px) else redis.call('SET', key, op.value) end
  elseif op.op == 'del' then
    redis.call('DEL', key)
  elseif op.op == 'xadd' then
    redis.call('XADD', key, '*', unpack(op.fields))
  elseif op.op == 'rpush' then
    redis.call('RPUSH', key, op.value)
  end
end
return {'ok'}
