/**
 * Sessions in Redis, chosen when REDIS_URL is set: every replica consults
 * the same store and a revocation is seen by all of them at once. Each
 * session is one key that Redis expires with its token; a per-user set
 * names the user's sessions so that closing all of them is one step.
 *
 * The close-all script computes key names inside Redis, so it targets a
 * single Redis (or one shard holding a user's keys), not a cluster.
 */
import type { Redis } from 'ioredis'

import type { SessionStore } from './session-store.ts'

export interface RedisSessionStoreOptions {
  /** Prepended to every key; tests use one per run. */
  readonly keyPrefix?: string
}

// KEYS[1]: the user's set; ARGV[1]: the prefix of the user's session keys;
// ARGV[2]: the token id to keep ('' for none).
const CLOSE_ALL_EXCEPT = `
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do
  if id ~= ARGV[2] then
    redis.call('DEL', ARGV[1] .. id)
    redis.call('SREM', KEYS[1], id)
  end
end
return #ids`

export class RedisSessionStore implements SessionStore {
  readonly #prefix: string

  constructor (
    private readonly redis: Redis,
    options: RedisSessionStoreOptions = {}
  ) {
    this.#prefix = options.keyPrefix ?? 'cloudretail:'
  }

  async open (userId: string, tokenId: string, expiresAt: Date) {
    const at = expiresAt.getTime()
    if (at <= Date.now()) return

    const set = this.#setKey(userId)
    await this.redis.multi()
      .set(this.#sessionKey(userId, tokenId), '1', 'PXAT', at)
      .sadd(set, tokenId)
      // The set lives as long as its longest session: NX gives a fresh set
      // an expiry, GT extends it for a later one.
      .pexpireat(set, at, 'NX')
      .pexpireat(set, at, 'GT')
      .exec().then(failOnError)
  }

  async isOpen (userId: string, tokenId: string) {
    return await this.redis.exists(this.#sessionKey(userId, tokenId)) === 1
  }

  async close (userId: string, tokenId: string) {
    await this.redis.multi()
      .del(this.#sessionKey(userId, tokenId))
      .srem(this.#setKey(userId), tokenId)
      .exec().then(failOnError)
  }

  async closeAll (userId: string) {
    await this.closeAllExcept(userId, '')
  }

  async closeAllExcept (userId: string, keptTokenId: string) {
    await this.redis.eval(CLOSE_ALL_EXCEPT, 1, this.#setKey(userId),
      this.#sessionKey(userId, ''), keptTokenId)
  }

  #sessionKey (userId: string, tokenId: string) {
    return `${this.#prefix}session:${userId}:${tokenId}`
  }

  #setKey (userId: string) {
    return `${this.#prefix}sessions:${userId}`
  }
}

// A transaction reports each command's error in its results, not by
// rejecting: a session must not count as opened or closed when it was not.
function failOnError (results: Array<[Error | null, unknown]> | null) {
  if (results === null) throw new Error('the Redis transaction was aborted')
  const failed = results.find(([error]) => error !== null)
  if (failed !== undefined) throw failed[0]!
}
