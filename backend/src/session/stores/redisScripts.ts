import { createHash } from 'crypto';

/**
 * The Lua scripts of RedisStore. Each runs atomically on the server, so the liveness check and the
 * write it guards cannot be split by another client: a destroyed or expired session is never
 * written again. KEYS[1] is the script's main key; ARGV[1] is always the store's prefix, from which
 * a script derives the session hash and user sets it also touches (one slot only when the prefix
 * holds a Redis Cluster hash tag, see RedisStore).
 *
 * Layout: hash `<prefix>s:<key>` with data fields `d:<field>` (JSON text) and meta fields v,
 * createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, userId, label; set `<prefix>u:<userId>`.
 */

const PRELUDE = `
local prefix = ARGV[1]
local function userSet(userId) return prefix .. 'u:' .. userId end
local function expireAt(hash)
  local t = redis.call('HMGET', hash, 'idleExpiresAt', 'absoluteExpiresAt')
  local at = t[1]
  if tonumber(t[2]) < tonumber(t[1]) then at = t[2] end
  redis.call('PEXPIREAT', hash, at)
end
local function reindex(hash, key, userId)
  local old = redis.call('HGET', hash, 'userId')
  if old == userId then return end
  if old then redis.call('SREM', userSet(old), key) end
  if userId then
    redis.call('HSET', hash, 'userId', userId)
    redis.call('SADD', userSet(userId), key)
  else
    redis.call('HDEL', hash, 'userId')
  end
end
`;

/** Scripts that write a live session share ARGV[2..7]: key, now, lastSeenAt, idleExpiresAt, user mode, userId. */
const ACTIVITY = `
local hash = KEYS[1]
local key = ARGV[2]
local now = tonumber(ARGV[3])
local times = redis.call('HMGET', hash, 'idleExpiresAt', 'absoluteExpiresAt')
if not times[1] or not times[2] or tonumber(times[1]) <= now or tonumber(times[2]) <= now then return 'missing' end
-- The expiry follows from what this script already read and writes: no second read.
local absoluteExpiresAt = tonumber(times[2])
local function recordActivity()
  redis.call('HSET', hash, 'lastSeenAt', ARGV[4], 'idleExpiresAt', ARGV[5])
  if ARGV[6] == 'set' then reindex(hash, key, ARGV[7]) elseif ARGV[6] == 'none' then reindex(hash, key, false) end
  redis.call('PEXPIREAT', hash, math.min(tonumber(ARGV[5]), absoluteExpiresAt))
end
`;

export class RedisScript {
    readonly sha: string;

    constructor(readonly source: string) {
        this.sha = createHash('sha1').update(source).digest('hex');
    }
}

const script = (...parts: string[]) => new RedisScript(parts.join('\n'));

/** HGETALL as a flat array, whatever RESP version the client speaks. */
export const LOAD = script(`return redis.call('HGETALL', KEYS[1])`);

/** ARGV[2] key, ARGV[3] userId or '', ARGV[4..] hash field/value pairs. */
export const CREATE = script(PRELUDE, `
local hash = KEYS[1]
local old = redis.call('HGET', hash, 'userId')
if old then redis.call('SREM', userSet(old), ARGV[2]) end
redis.call('DEL', hash)
for i = 4, #ARGV, 2 do redis.call('HSET', hash, ARGV[i], ARGV[i + 1]) end
if ARGV[3] ~= '' then redis.call('SADD', userSet(ARGV[3]), ARGV[2]) end
expireAt(hash)
return 'ok'
`);

/** ARGV[8] number of fields set, then field/JSON pairs, then fields unset. */
export const UPDATE = script(PRELUDE, ACTIVITY, `
local nSet = tonumber(ARGV[8])
for i = 9, 8 + 2 * nSet, 2 do redis.call('HSET', hash, 'd:' .. ARGV[i], ARGV[i + 1]) end
for i = 9 + 2 * nSet, #ARGV do redis.call('HDEL', hash, 'd:' .. ARGV[i]) end
recordActivity()
return 'ok'
`);

/** ARGV[8] field, ARGV[9] '1' if expected present, ARGV[10] expected JSON, ARGV[11] '1' if next present, ARGV[12] next JSON. */
export const COMPARE_AND_SET = script(PRELUDE, ACTIVITY, `
local field = 'd:' .. ARGV[8]
local current = redis.call('HGET', hash, field)
if ARGV[9] == '1' then
  if current ~= ARGV[10] then return 'conflict' end
elseif current then
  return 'conflict'
end
if ARGV[11] == '1' then redis.call('HSET', hash, field, ARGV[12]) else redis.call('HDEL', hash, field) end
recordActivity()
return 'ok'
`);

export const TOUCH = script(PRELUDE, ACTIVITY, `
recordActivity()
return 'ok'
`);

/** ARGV[2] key. */
export const DESTROY = script(PRELUDE, `
local old = redis.call('HGET', KEYS[1], 'userId')
if old then redis.call('SREM', userSet(old), ARGV[2]) end
redis.call('DEL', KEYS[1])
return 'ok'
`);

/**
 * KEYS[1] the user set, ARGV[2] userId. Returns key, createdAt, lastSeenAt, idleExpiresAt,
 * absoluteExpiresAt, label per indexed session; drops members whose hash Redis has already expired.
 */
export const LIST_BY_USER = script(PRELUDE, `
local out = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local t = redis.call('HMGET', prefix .. 's:' .. key, 'userId', 'createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'label')
  if t[1] == ARGV[2] then
    table.insert(out, key)
    for i = 2, 6 do table.insert(out, t[i]) end
  else
    redis.call('SREM', KEYS[1], key)
  end
end
return out
`);

/** KEYS[1] the user set, ARGV[2] userId, ARGV[3] the key to keep or ''. Returns the keys destroyed. */
export const DESTROY_BY_USER = script(PRELUDE, `
local out = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if key ~= ARGV[3] then
    local hash = prefix .. 's:' .. key
    if redis.call('HGET', hash, 'userId') == ARGV[2] then
      redis.call('DEL', hash)
      table.insert(out, key)
    end
    redis.call('SREM', KEYS[1], key)
  end
end
return out
`);
