/**
 * What the HTTP app is built from. The process entry (src/runtime) opens the
 * engines; tests build the same app over their own.
 */
import type { CommandServices } from '../commands/command-context.ts'
import type { ApiKeyRateLimiter } from './auth/api-key-rate-limit.ts'
import type { SessionStore } from './auth/session-store.ts'

export interface AppDependencies {
  readonly services: CommandServices
  readonly sessions: SessionStore
  readonly jwtSecret: Buffer
  /** Verifies tokens issued before the last rotation of jwtSecret. */
  readonly jwtPreviousSecret?: Buffer
  /** Per-API-key hourly counters (Redis when configured); unset: in
   * process memory. */
  readonly apiKeyLimiter?: ApiKeyRateLimiter
  /** Engines beyond the database and event store that /health/ready
   * checks, by name (Redis, when configured); each rejects when down. */
  readonly readinessProbes?: Readonly<Record<string, () => Promise<unknown>>>
  /** Names of the projections query routes may wait for; see
   * read-your-writes in src/http/consistency.ts. */
  readonly waitForProjections?: (
    names: readonly string[],
    position: bigint
  ) => Promise<boolean>
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDependencies
  }
}
