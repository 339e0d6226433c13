import { createHash } from 'crypto';

/**
 * The Lua scripts of RedisStore. Each runs atomically on the server, so the liveness check and the
 * write it guards cannot be split by another client: a destroyed or expired session is never
 * written again. KEYS[1] is the script's main key; ARGV[1] is always the store's prefix, from which
 * a script derives the session hash and user sets it also touches (one slot only when the prefix
 * holds a Redis Cluster hash tag, see RedisStore).
 *
 * The rules they apply are those of ./rules (liveness, `applyActivity`, the renewal pointer),
 * restated in Lua; the renewal chain limit arrives as an argument (RENEWAL_CHAIN_LIMIT).
 *
 * Layout: hash `<prefix>s:<key>` with data fields `d:<field>` (JSON text) and meta fields v,
 * createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, userId, label, idIssuedAt, successorKey;
 * set `<prefix>u:<userId>`.
 */

const PRELUDE = `
local prefix = ARGV[1]
local function userSet(userId) return prefix .. 'u:' .. userId end
local function sessionHash(key) return prefix .. 's:' .. key end
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

/**
 * Scripts that write a live session share ARGV[2..8]: key, now, lastSeenAt, idleExpiresAt, user
 * mode, userId, anonymous idle expiry or '' (ARGV[1] is the prefix). `recordActivity(target, targetKey)` writes them to a
 * hash (the session's own, or a renewal's successor).
 */
const ACTIVITY = `
local hash = KEYS[1]
local key = ARGV[2]
local now = tonumber(ARGV[3])
local times = redis.call('HMGET', hash, 'idleExpiresAt', 'absoluteExpiresAt', 'successorKey')
if not times[1] or not times[2] or tonumber(times[1]) <= now or tonumber(times[2]) <= now then return 'missing' end
-- The expiry follows from what this script already read and writes: no second read.
local absoluteExpiresAt = tonumber(times[2])
-- applyActivity of stores/rules.ts
local function recordActivity(target, targetKey)
  if ARGV[6] == 'set' then reindex(target, targetKey, ARGV[7]) elseif ARGV[6] == 'none' then reindex(target, targetKey, false) end
  local idle = ARGV[5]
  if ARGV[8] ~= '' and not redis.call('HGET', target, 'userId') then idle = ARGV[8] end
  redis.call('HSET', target, 'lastSeenAt', ARGV[4], 'idleExpiresAt', idle)
  redis.call('PEXPIREAT', target, math.min(tonumber(idle), absoluteExpiresAt))
end
`;

/** Applies ARGV[first] (number of fields set), then field/JSON pairs, then fields unset, to `target`. */
const CHANGES = `
local function applyChanges(target, first)
  local nSet = tonumber(ARGV[first])
  for i = first + 1, first + 2 * nSet, 2 do redis.call('HSET', target, 'd:' .. ARGV[i], ARGV[i + 1]) end
  for i = first + 1 + 2 * nSet, #ARGV do redis.call('HDEL', target, 'd:' .. ARGV[i]) end
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

/** ARGV[9] number of fields set, then field/JSON pairs, then fields unset. */
export const UPDATE = script(PRELUDE, ACTIVITY, CHANGES, `
applyChanges(hash, 9)
recordActivity(hash, key)
return 'ok'
`);

/** ARGV[9] field, ARGV[10] '1' if expected present, ARGV[11] expected JSON, ARGV[12] '1' if next present, ARGV[13] next JSON. */
export const COMPARE_AND_SET = script(PRELUDE, ACTIVITY, `
local field = 'd:' .. ARGV[9]
local current = redis.call('HGET', hash, field)
if ARGV[10] == '1' then
  if current ~= ARGV[11] then return 'conflict' end
elseif current then
  return 'conflict'
end
if ARGV[12] == '1' then redis.call('HSET', hash, field, ARGV[13]) else redis.call('HDEL', hash, field) end
recordActivity(hash, key)
return 'ok'
`);

export const TOUCH = script(PRELUDE, ACTIVITY, `
recordActivity(hash, key)
return 'ok'
`);

/**
 * ARGV[9] successor key, ARGV[10] pointer expiry, ARGV[11..] changes as UPDATE's ARGV[9..].
 * Returns {'renewed'}, {'superseded', successorKey} or 'missing' (from ACTIVITY).
 */
export const RENEW = script(PRELUDE, ACTIVITY, CHANGES, `
if times[3] then return {'superseded', times[3]} end
local successorKey = ARGV[9]
local successor = sessionHash(successorKey)
redis.call('DEL', successor)
local all = redis.call('HGETALL', hash)
for i = 1, #all, 2 do redis.call('HSET', successor, all[i], all[i + 1]) end
redis.call('HSET', successor, 'idIssuedAt', ARGV[3])
local userId = redis.call('HGET', successor, 'userId')
if userId then redis.call('SADD', userSet(userId), successorKey) end
applyChanges(successor, 11)
recordActivity(successor, successorKey)
-- pointToSuccessor of stores/rules.ts
redis.call('HSET', hash, 'successorKey', successorKey, 'lastSeenAt', ARGV[3], 'idleExpiresAt', ARGV[10])
expireAt(hash)
return {'renewed'}
`);

/** ARGV[2] key, ARGV[3] the renewal chain limit. Follows renewed records to their successors. */
export const DESTROY = script(PRELUDE, `
local key = ARGV[2]
for _ = 0, tonumber(ARGV[3]) do
  local hash = sessionHash(key)
  local t = redis.call('HMGET', hash, 'userId', 'successorKey')
  if t[1] then redis.call('SREM', userSet(t[1]), key) end
  redis.call('DEL', hash)
  if not t[2] then break end
  key = t[2]
end
return 'ok'
`);

/**
 * KEYS[1] the user set, ARGV[2] userId. Returns key, createdAt, lastSeenAt, idleExpiresAt,
 * absoluteExpiresAt, label per indexed session; drops members whose hash Redis has already expired.
 */
export const LIST_BY_USER = script(PRELUDE, `
local out = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local t = redis.call('HMGET', sessionHash(key), 'userId', 'createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'label', 'successorKey')
  if t[1] == ARGV[2] then
    if not t[7] then
      table.insert(out, key)
      for i = 2, 6 do table.insert(out, t[i]) end
    end
  else
    redis.call('SREM', KEYS[1], key)
  end
end
return out
`);

/**
 * KEYS[1] the user set, ARGV[2] userId, ARGV[3] the key to keep or '' (with its successors and the
 * records pointing into them), ARGV[4] the renewal chain limit. Returns the keys of the sessions destroyed.
 */
export const DESTROY_BY_USER = script(PRELUDE, `
local kept = {}
local keep = ARGV[3]
for _ = 0, tonumber(ARGV[4]) do
  if not keep or keep == '' then break end
  kept[keep] = true
  keep = redis.call('HGET', sessionHash(keep), 'successorKey')
end
local out = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local hash = sessionHash(key)
  local t = redis.call('HMGET', hash, 'userId', 'successorKey')
  if not kept[key] and not (t[2] and kept[t[2]]) then
    if t[1] == ARGV[2] then
      redis.call('DEL', hash)
      if not t[2] then table.insert(out, key) end
    end
    redis.call('SREM', KEYS[1], key)
  end
end
return out
`);
