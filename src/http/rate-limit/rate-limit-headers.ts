/**
 * Tells clients their budget with the IETF draft's fields
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds) describe the window
 * closest to running out; `RateLimit-Policy` lists every window of the tier
 * (`5;w=900, 20;w=3600, 100;w=86400`). A refusal adds `Retry-After`: the
 * seconds until every exceeded window has reset.
 */
import type { FastifyReply } from 'fastify'

import { RATE_LIMIT_WINDOWS, type TierLimits } from './rate-limit-tiers.ts'
import type { LimitCheck } from './tier-limiters.ts'

export function setRateLimitHeaders (
  reply: FastifyReply,
  limits: TierLimits,
  checks: readonly LimitCheck[]
) {
  const shown = pickShown(checks)
  if (shown === undefined) return

  reply.header('ratelimit-policy', policyOf(limits))
  reply.header('ratelimit-limit', shown.limit)
  reply.header('ratelimit-remaining', shown.exceeded ? 0 : shown.remaining)
  reply.header('ratelimit-reset', secondsOf(shown.resetMs))
  if (shown.exceeded) reply.header('retry-after', secondsOf(shown.resetMs))
}

/** Seconds until the request could succeed: the longest exceeded window. */
export function retryAfterSeconds (checks: readonly LimitCheck[]) {
  const shown = pickShown(checks)

  return shown?.exceeded === true ? secondsOf(shown.resetMs) : 0
}

// A refused request shows the exceeded window that resets last, so that
// Retry-After is honest; an allowed one the window with the fewest
// requests left, the shorter one on a tie.
function pickShown (checks: readonly LimitCheck[]) {
  const exceeded = checks.filter((check) => check.exceeded)
  if (exceeded.length > 0) {
    return exceeded.reduce((a, b) => (b.resetMs > a.resetMs ? b : a))
  }

  return checks.reduce<LimitCheck | undefined>((a, b) =>
    a === undefined || b.remaining < a.remaining ||
      (b.remaining === a.remaining && b.window.ms < a.window.ms)
      ? b
      : a, undefined)
}

function policyOf (limits: TierLimits) {
  return RATE_LIMIT_WINDOWS
    .map((window, index) => `${limits[index]};w=${window.ms / 1000}`)
    .join(', ')
}

function secondsOf (ms: number) {
  return Math.max(1, Math.ceil(ms / 1000))
}
