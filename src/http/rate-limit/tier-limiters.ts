/**
 * One counter per tier, key kind and window, each a limiter of
 * @fastify/rate-limit (`createRateLimit`), which counts in its own store:
 * process memory, or Redis when one is given, where an atomic script
 * shares the count between replicas. The plugin enforces one limit per
 * limiter, so each tier stacks three (15 minutes, an hour, a day) and a
 * request must be within all of them. They are counted shortest first, and
 * a request refused by one window is not counted in the longer ones: a
 * client that retries too early spends no hourly or daily budget on it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'

import {
  RATE_LIMIT_WINDOWS,
  type RateLimitTier,
  type RateLimitWindow,
  type TierLimits
} from './rate-limit-tiers.ts'

/**
 * What a counter is keyed on: the client address; the signed-in caller
 * (user id, or the address when no valid token comes with the request);
 * the user only (skipped when not signed in); the account being signed
 * into (the email's blind index).
 */
export type KeyKind = 'address' | 'caller' | 'user' | 'account'

export const TIER_KEYS: Readonly<Record<RateLimitTier, readonly KeyKind[]>> = {
  public: ['address'],
  authenticated: ['caller'],
  admin: ['caller'],
  login: ['address', 'account'],
  payment: ['address', 'user'],
  integration: ['address']
}

export interface LimitCheck {
  readonly tier: RateLimitTier
  readonly kind: KeyKind
  readonly window: RateLimitWindow
  readonly limit: number
  /** Names the counter (tier, window, kind and subject). */
  readonly key: string
  readonly remaining: number
  readonly resetMs: number
  readonly exceeded: boolean
}

type Check = (request: FastifyRequest) => Promise<LimitCheck>

export interface TierLimiters {
  /** Counts the request against the tier's windows for `subject`, up to
   * the first one it exceeds. */
  count(
    request: FastifyRequest,
    tier: RateLimitTier,
    kind: KeyKind,
    subject: string
  ): Promise<LimitCheck[]>
}

export function createTierLimiters (
  app: FastifyInstance,
  tiers: Readonly<Record<RateLimitTier, TierLimits>>,
  maxKeysInMemory: number
): TierLimiters {
  // The plugin's key generator sees only the request; the subject each
  // counter is keyed on is handed to it through here.
  const subjects = new WeakMap<FastifyRequest, Map<string, string>>()
  const checks = new Map<string, Check[]>()
  for (const [tier, limits] of Object.entries(tiers) as
    [RateLimitTier, TierLimits][]) {
    for (const kind of TIER_KEYS[tier]) {
      checks.set(`${tier}:${kind}`, RATE_LIMIT_WINDOWS.map((window, index) =>
        createCheck(app, subjects, { tier, kind, window,
          limit: limits[index]!, maxKeysInMemory })))
    }
  }

  return {
    async count (request, tier, kind, subject) {
      const bySlot = subjects.get(request) ?? new Map<string, string>()
      bySlot.set(`${tier}:${kind}`, subject)
      subjects.set(request, bySlot)

      const counted: LimitCheck[] = []
      for (const check of checks.get(`${tier}:${kind}`) ?? []) {
        const result = await check(request)
        counted.push(result)
        if (result.exceeded) break
      }

      return counted
    }
  }
}

interface CheckSpec {
  readonly tier: RateLimitTier
  readonly kind: KeyKind
  readonly window: RateLimitWindow
  readonly limit: number
  readonly maxKeysInMemory: number
}

function createCheck (
  app: FastifyInstance,
  subjects: WeakMap<FastifyRequest, Map<string, string>>,
  spec: CheckSpec
): Check {
  const { tier, kind, window, limit } = spec
  const keyOf = (request: FastifyRequest) =>
    `${tier}:${window.name}:${kind}:` +
    (subjects.get(request)?.get(`${tier}:${kind}`) ?? '')
  const limiter = app.createRateLimit({
    max: limit,
    timeWindow: window.ms,
    keyGenerator: keyOf,
    // Not in the plugin's types, but read by its in-memory store: how many
    // keys each counter keeps before it forgets the least recent.
    cache: spec.maxKeysInMemory
  } as Parameters<FastifyInstance['createRateLimit']>[0])

  return async (request) => {
    const result = await limiter(request)
    const base = { tier, kind, window, limit, key: result.key }

    // The plugin's allow-list is unused, so isAllowed never holds; exempt
    // addresses are skipped before counting.
    return result.isAllowed
      ? { ...base, remaining: limit, resetMs: window.ms, exceeded: false }
      : { ...base,
          remaining: result.remaining,
          resetMs: result.ttl,
          exceeded: result.isExceeded }
  }
}
