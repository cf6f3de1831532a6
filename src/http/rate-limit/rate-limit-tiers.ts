/**
 * The rate-limit tiers of the security architecture: how many requests a
 * caller may make per 15 minutes, per hour and per day, and which tier a
 * route belongs to. A route can name its tier in its config
 * (`config: { rateLimitTier: 'payment' }`); otherwise its path decides.
 */
import type { FastifyRequest } from 'fastify'

export type RateLimitTier =
  | 'public'
  | 'authenticated'
  | 'login'
  | 'payment'
  | 'admin'
  | 'integration'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Overrides the tier the route's path implies; 'exempt' for probes. */
    rateLimitTier?: RateLimitTier | 'exempt'
  }
}

export interface RateLimitWindow {
  /** Names the window in keys, headers' policy and security events. */
  readonly name: string
  readonly ms: number
}

export const RATE_LIMIT_WINDOWS: readonly RateLimitWindow[] = [
  { name: '15m', ms: 15 * 60 * 1000 },
  { name: '1h', ms: 60 * 60 * 1000 },
  { name: '1d', ms: 24 * 60 * 60 * 1000 }
]

/** Requests allowed in each of RATE_LIMIT_WINDOWS, in the same order. */
export type TierLimits = readonly [number, number, number]

export const RATE_LIMIT_TIERS: Readonly<Record<RateLimitTier, TierLimits>> = {
  public: [200, 800, 10_000],
  authenticated: [100, 400, 5_000],
  login: [5, 20, 100],
  payment: [5, 20, 100],
  admin: [500, 2_000, 20_000],
  // Not in the architecture's table: /api/webhooks is limited per API key
  // (1,000 an hour, src/http/auth), and this per-address tier only bounds
  // what one address can send with keys that do not verify. It is sized so
  // that an integration using its key's whole hourly budget never meets it.
  integration: [1_000, 4_000, 50_000]
}

// Probes and scrapers poll on a schedule: a 429 to a liveness probe would
// make Kubernetes restart a healthy pod. The network policies, not the
// limiter, keep the public away from them.
const EXEMPT_PREFIXES = ['/health/', '/metrics']
const ADMIN_PREFIXES = ['/api/admin/', '/api/audit/']
const INTEGRATION_PREFIX = '/api/webhooks/'
const LOGIN_ROUTES = /^\/api\/users\/(login|register)(\/|$)/
const SIGN_IN_ROUTES = /^\/api\/users\/login(\/|$)/

/** The tier of the request's route; undefined for exempt routes. */
export function tierOf (request: FastifyRequest): RateLimitTier | undefined {
  const declared = request.routeOptions.config?.rateLimitTier
  if (declared !== undefined) {
    return declared === 'exempt' ? undefined : declared
  }
  // An unknown URL has no route: scanning for routes spends the public
  // budget like browsing does.
  const path = request.routeOptions.url

  return path === undefined ? 'public' : tierOfPath(request.method, path)
}

export function tierOfPath (
  method: string,
  path: string
): RateLimitTier | undefined {
  if (EXEMPT_PREFIXES.some((prefix) => startsWithSegment(path, prefix))) {
    return undefined
  }
  if (ADMIN_PREFIXES.some((prefix) => startsWithSegment(path, prefix))) {
    return 'admin'
  }
  if (startsWithSegment(path, INTEGRATION_PREFIX)) return 'integration'
  if (method === 'POST' && LOGIN_ROUTES.test(path)) return 'login'
  if (path.startsWith('/api/')) {
    return isProductRead(method, path) ? 'public' : 'authenticated'
  }

  return 'public'
}

/**
 * Whether the route signs someone into an account, whose attempts are then
 * counted per account too. A registration is not: it would spend the
 * budget of the login that follows it.
 */
export function isSignIn (request: FastifyRequest) {
  return SIGN_IN_ROUTES.test(request.routeOptions.url ?? '')
}

function isProductRead (method: string, path: string) {
  return (method === 'GET' || method === 'HEAD') &&
    (path === '/api/products' || path.startsWith('/api/products/'))
}

// '/health/' matches '/health/live'; '/metrics' matches itself and below.
function startsWithSegment (path: string, prefix: string) {
  return prefix.endsWith('/')
    ? path.startsWith(prefix) || path === prefix.slice(0, -1)
    : path === prefix || path.startsWith(`${prefix}/`)
}
