/**
 * Remembers which limits have already been reported as exceeded, so a flood
 * of refused requests records one security event per key and window, not
 * one per request. With Redis the memory is shared (SET NX with the
 * window's remaining time), so replicas report a refusal once between
 * them; in memory each process reports it once.
 */
import type { Redis } from 'ioredis'

export interface RefusalLedger {
  /** True the first time `key` is refused before its window resets. */
  isFirstRefusal(key: string, resetsInMs: number): Promise<boolean>
}

// Bounds the in-memory ledger; expired entries go first, and a flood of
// distinct keys beyond this restarts it (so at worst it reports again).
const MAX_REMEMBERED = 100_000

export function createMemoryLedger (
  now: () => number = Date.now
): RefusalLedger {
  const expiries = new Map<string, number>()

  return {
    async isFirstRefusal (key, resetsInMs) {
      const at = now()
      const expiry = expiries.get(key)
      if (expiry !== undefined && expiry > at) return false

      if (expiries.size >= MAX_REMEMBERED) forgetExpired(expiries, at)
      if (expiries.size >= MAX_REMEMBERED) expiries.clear()
      expiries.set(key, at + Math.max(resetsInMs, 1))

      return true
    }
  }
}

export function createRedisLedger (
  redis: Redis,
  prefix: string
): RefusalLedger {
  return {
    async isFirstRefusal (key, resetsInMs) {
      const set = await redis.set(`${prefix}refused:${key}`, '1',
        'PX', Math.max(Math.ceil(resetsInMs), 1), 'NX')

      return set === 'OK'
    }
  }
}

function forgetExpired (expiries: Map<string, number>, at: number) {
  for (const [key, expiry] of expiries) {
    if (expiry <= at) expiries.delete(key)
  }
}
