/**
 * 1,000 requests per hour per API key, counted in fixed windows aligned to
 * the clock hour: in Redis when it is configured (every replica shares one
 * count; INCR is atomic, so exactly one request sees the first refusal of a
 * window), else in process memory. A fixed window lets a key spend up to
 * twice its budget across a window boundary; the hourly budget is an
 * abuse bound, not a billing meter, so that is accepted for one counter and
 * one round trip per request.
 */
import type { Redis } from 'ioredis'

export const API_KEY_REQUESTS_PER_HOUR = 1000
export const API_KEY_WINDOW_MS = 60 * 60 * 1000

export interface RateLimitDecision {
  readonly allowed: boolean
  /** Requests of this window so far, this one included. */
  readonly count: number
  readonly limit: number
  /** When the window ends and the count starts again. */
  readonly resetAt: Date
  /** True for the first refused request of a window only. */
  readonly firstRefusal: boolean
}

export interface ApiKeyRateLimiter {
  /** Counts one request of the key and says whether it may go on. */
  hit(keyId: string, now: Date): Promise<RateLimitDecision>
}

export interface RateLimiterOptions {
  readonly limit?: number
  readonly windowMs?: number
}

/** Counters in this process: right for one replica, and for tests. */
export function createMemoryApiKeyRateLimiter (
  options: RateLimiterOptions = {}
): ApiKeyRateLimiter {
  const { limit, windowMs } = settingsOf(options)
  const counts = new Map<string, { window: number, count: number }>()

  return {
    async hit (keyId, now) {
      const window = Math.floor(now.getTime() / windowMs)
      const current = counts.get(keyId)
      const count = current?.window === window ? current.count + 1 : 1
      if (current === undefined) forgetStale(counts, window)
      counts.set(keyId, { window, count })

      return decide(count, limit, window, windowMs)
    }
  }
}

/** Counters shared through Redis by every replica. */
export function createRedisApiKeyRateLimiter (
  redis: Redis,
  options: RateLimiterOptions & { readonly prefix?: string } = {}
): ApiKeyRateLimiter {
  const { limit, windowMs } = settingsOf(options)
  const prefix = options.prefix ?? 'cloudretail:apikey-rate:'

  return {
    async hit (keyId, now) {
      const window = Math.floor(now.getTime() / windowMs)
      const name = `${prefix}${keyId}:${window}`
      // The count outlives its window a little, for clocks slightly apart.
      const results = await redis.multi()
        .incr(name)
        .pexpire(name, windowMs * 2)
        .exec()
      const count = Number(results?.[0]?.[1])
      if (!Number.isInteger(count)) {
        throw new Error('Redis did not count the API key request')
      }

      return decide(count, limit, window, windowMs)
    }
  }
}

function settingsOf (options: RateLimiterOptions) {
  return {
    limit: options.limit ?? API_KEY_REQUESTS_PER_HOUR,
    windowMs: options.windowMs ?? API_KEY_WINDOW_MS
  }
}

function decide (
  count: number,
  limit: number,
  window: number,
  windowMs: number
): RateLimitDecision {
  return {
    allowed: count <= limit,
    count,
    limit,
    resetAt: new Date((window + 1) * windowMs),
    firstRefusal: count === limit + 1
  }
}

// Keys idle since an earlier window need no counter; sweeping when a new key
// appears keeps the map as large as the set of keys active this hour.
function forgetStale (
  counts: Map<string, { window: number }>,
  window: number
) {
  for (const [keyId, entry] of counts) {
    if (entry.window < window) counts.delete(keyId)
  }
}
