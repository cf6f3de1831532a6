/**
 * Live sessions, as the security architecture's login flow keeps them: a
 * token is honoured only while its session is open. Logout closes one;
 * erasure, a role change or a password change close all of a user's. The
 * service keeps them in PostgreSQL (postgres-session-store.ts), which every
 * replica and CLI command shares, or in Redis when REDIS_URL is set
 * (redis-session-store.ts); the in-memory store serves tests and
 * single-process tools.
 */
export interface SessionStore {
  open(userId: string, tokenId: string, expiresAt: Date): Promise<void>
  isOpen(userId: string, tokenId: string): Promise<boolean>
  close(userId: string, tokenId: string): Promise<void>
  closeAll(userId: string): Promise<void>
  /** Closes every session of the user but one (a password change keeps
   * the session that made it). */
  closeAllExcept(userId: string, keptTokenId: string): Promise<void>
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Map<string, number>>()

  constructor (private readonly now: () => Date = () => new Date()) {}

  async open (userId: string, tokenId: string, expiresAt: Date) {
    const sessions = this.#sessions.get(userId) ?? new Map<string, number>()
    sessions.set(tokenId, expiresAt.getTime())
    this.#forgetExpired(sessions)
    this.#sessions.set(userId, sessions)
  }

  async isOpen (userId: string, tokenId: string) {
    const expiresAt = this.#sessions.get(userId)?.get(tokenId)

    return expiresAt !== undefined && expiresAt > this.now().getTime()
  }

  async close (userId: string, tokenId: string) {
    this.#sessions.get(userId)?.delete(tokenId)
  }

  async closeAll (userId: string) {
    this.#sessions.delete(userId)
  }

  async closeAllExcept (userId: string, keptTokenId: string) {
    const sessions = this.#sessions.get(userId)
    for (const tokenId of sessions?.keys() ?? []) {
      if (tokenId !== keptTokenId) sessions!.delete(tokenId)
    }
  }

  #forgetExpired (sessions: Map<string, number>) {
    const now = this.now().getTime()
    for (const [tokenId, expiresAt] of sessions) {
      if (expiresAt <= now) sessions.delete(tokenId)
    }
  }
}
