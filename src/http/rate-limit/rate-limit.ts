/**
 * Rate-limit tiers (see rate-limit-tiers.ts): every request is counted
 * against each window of its route's tier before anything else is done for
 * it, keyed as TIER_KEYS says; a login is counted against the account too,
 * once its body is parsed. A request over any limit is refused with 429.
 * Counters live in Redis when a client is given, so replicas share one
 * budget, else in process memory.
 */
import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'

import { DomainError } from '../../commands/command-errors.ts'
import { buildExemptList } from './client-address.ts'
import {
  createMemoryLedger,
  createRedisLedger,
  type RefusalLedger
} from './refusal-ledger.ts'
import { retryAfterSeconds, setRateLimitHeaders } from './rate-limit-headers.ts'
import { RateLimitedError, reportRefusals } from './rate-limit-refusal.ts'
import { subjectOf, type SubjectKeys } from './rate-limit-subjects.ts'
import {
  RATE_LIMIT_TIERS,
  tierOf,
  type RateLimitTier,
  type TierLimits
} from './rate-limit-tiers.ts'
import {
  createTierLimiters,
  TIER_KEYS,
  type LimitCheck,
  type TierLimiters
} from './tier-limiters.ts'

export interface RateLimitSettings {
  /** Replaces the limits of some tiers (tests use small ones). */
  readonly tiers?: Partial<Record<RateLimitTier, TierLimits>>
  /** Shared counters; without it they live in this process. */
  readonly redis?: Redis
  /** Prefix of every Redis key (tests give each run its own). */
  readonly keyPrefix?: string
  /** RATE_LIMIT_EXEMPT_IPS: addresses or CIDR ranges never limited. */
  readonly exemptAddresses?: readonly string[]
  /** Keys the HMAC over client addresses; default the blind-index key.
   * Replicas sharing Redis must share it. */
  readonly addressKey?: Buffer
}

export const DEFAULT_KEY_PREFIX = 'cloudretail:rate-limit:'
// Per counter, in memory only: beyond this the least recent key is
// forgotten (and starts afresh). Redis keeps every key until its window
// ends.
const MAX_KEYS_IN_MEMORY = 50_000

interface Limiting {
  readonly tiers: Readonly<Record<RateLimitTier, TierLimits>>
  readonly limiters: TierLimiters
  readonly keys: SubjectKeys
  readonly ledger: RefusalLedger
  readonly isExempt: (request: FastifyRequest) => boolean
  readonly counted: WeakMap<FastifyRequest, LimitCheck[]>
}

async function rateLimit (app: FastifyInstance, settings: RateLimitSettings) {
  const prefix = settings.keyPrefix ?? DEFAULT_KEY_PREFIX
  // global: false: the plugin adds no hooks of its own; it only provides
  // the counters (createRateLimit) used below.
  await app.register(fastifyRateLimit, {
    global: false,
    ...(settings.redis === undefined
      ? {}
      : { redis: settings.redis, nameSpace: prefix })
  })
  const { blindIndexKey } = app.deps.services
  const tiers = { ...RATE_LIMIT_TIERS, ...settings.tiers }
  const limiting: Limiting = {
    tiers,
    limiters: createTierLimiters(app, tiers, MAX_KEYS_IN_MEMORY),
    keys: { addressKey: settings.addressKey ?? blindIndexKey, blindIndexKey },
    ledger: settings.redis === undefined
      ? createMemoryLedger()
      : createRedisLedger(settings.redis, prefix),
    isExempt: buildExemptList(settings.exemptAddresses ?? []),
    counted: new WeakMap()
  }

  app.addHook('onRequest', async (request, reply) => {
    await countRequest(app, limiting, request, reply, 'onRequest')
  })
  // A login's account is known only once its body has been parsed.
  app.addHook('preValidation', async (request, reply) => {
    await countRequest(app, limiting, request, reply, 'preValidation')
  })
}

async function countRequest (
  app: FastifyInstance,
  limiting: Limiting,
  request: FastifyRequest,
  reply: FastifyReply,
  phase: 'onRequest' | 'preValidation'
) {
  const tier = tierOf(request)
  if (tier === undefined || limiting.isExempt(request)) return

  const kinds = TIER_KEYS[tier].filter((kind) =>
    (kind === 'account') === (phase === 'preValidation'))
  const fresh: LimitCheck[] = []
  for (const kind of kinds) {
    const subject = subjectOf(app, limiting.keys, kind, request)
    if (subject === undefined) continue
    fresh.push(...await countOrFail(limiting.limiters, request, tier, kind,
      subject))
  }
  if (fresh.length === 0) return

  const checks = [...limiting.counted.get(request) ?? [], ...fresh]
  limiting.counted.set(request, checks)
  setRateLimitHeaders(reply, limiting.tiers[tier], checks)
  if (!checks.some((check) => check.exceeded)) return

  await reportRefusals(app, request, limiting.ledger, fresh)
  throw new RateLimitedError(retryAfterSeconds(checks))
}

// Fails closed: a request whose budget cannot be checked (Redis down) is
// refused with 503 rather than let through unlimited.
async function countOrFail (
  limiters: TierLimiters,
  request: FastifyRequest,
  ...args: Parameters<TierLimiters['count']> extends [unknown, ...infer R]
    ? R
    : never
) {
  try {
    return await limiters.count(request, ...args)
  } catch (error) {
    request.log.error({ err: error }, 'rate-limit counters unavailable')
    throw new DomainError('unavailable', 'CR_ERR_HTTP_RATE_LIMIT_UNAVAILABLE',
      'the service cannot take requests right now')
  }
}

export default fp(rateLimit, {
  name: 'rate-limit-tiers',
  dependencies: ['authentication']
})
