/**
 * The Redis client for shared counters (REDIS_URL). It connects at once and
 * fails the start-up when Redis cannot be reached: ioredis would otherwise
 * queue commands and keep retrying in the background. Once running, it
 * reconnects on its own; what goes wrong meanwhile goes to `onError`.
 */
import { Redis } from 'ioredis'

export async function openRedis (
  url: string,
  onError: (error: Error) => void = () => {}
) {
  const redis = new Redis(url, { lazyConnect: true })
  let cause: Error | undefined
  redis.on('error', (error: Error) => {
    cause = error
    onError(error)
  })
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    // ioredis rejects with 'Connection is closed'; the reason came as an
    // event. Name the reason, never the URL, which may hold a password.
    throw new Error('Redis at REDIS_URL cannot be reached: ' +
      codeOf(cause ?? error), { cause: error })
  }

  return redis
}

export async function closeRedis (redis: Redis) {
  try {
    await redis.quit()
  } catch {
    // Already gone: nothing left to flush.
    redis.disconnect()
  }
}

function codeOf (error: unknown) {
  return error instanceof Error && 'code' in error
    ? String(error.code)
    : 'connection failed'
}
