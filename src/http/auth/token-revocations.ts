/**
 * Which session tokens are no longer honoured: one token by its id (logout),
 * or every token of a user issued before a moment (erasure, role or password
 * change). This in-process store serves one replica; with several replicas
 * the same interface is backed by Redis so all of them agree.
 */
export interface TokenRevocations {
  revokeToken(tokenId: string, expiresAt: Date): Promise<void>
  revokeUserTokensIssuedBefore(userId: string, moment: Date): Promise<void>
  isRevoked(token: { jti: string, userId: string, iat: number }): Promise<boolean>
}

export class MemoryTokenRevocations implements TokenRevocations {
  readonly #tokens = new Map<string, number>()
  readonly #users = new Map<string, number>()

  async revokeToken (tokenId: string, expiresAt: Date) {
    this.#tokens.set(tokenId, expiresAt.getTime())
    this.#forgetExpired()
  }

  async revokeUserTokensIssuedBefore (userId: string, moment: Date) {
    this.#users.set(userId, moment.getTime())
  }

  async isRevoked (token: { jti: string, userId: string, iat: number }) {
    if (this.#tokens.has(token.jti)) return true

    const cutoff = this.#users.get(token.userId)

    // iat has one-second resolution: a token issued in the same second as
    // the revocation counts as revoked.
    return cutoff !== undefined && token.iat * 1000 <= cutoff
  }

  #forgetExpired () {
    const now = Date.now()
    for (const [tokenId, expiresAt] of this.#tokens) {
      if (expiresAt < now) this.#tokens.delete(tokenId)
    }
  }
}
