/**
 * Sessions in the service's own PostgreSQL (or PGlite): the default when no
 * Redis is configured. Every replica and every CLI command sees the same
 * table, so a role change made from the CLI closes the sessions the API
 * honours, and sessions survive a restart.
 */
import type { Kysely } from 'kysely'

import type { Database } from '../../storage/schema.ts'
import type { SessionStore } from './session-store.ts'

export class PostgresSessionStore implements SessionStore {
  constructor (
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date()
  ) {}

  async open (userId: string, tokenId: string, expiresAt: Date) {
    await this.db.insertInto('sessions')
      .values({ token_id: tokenId, user_id: userId, expires_at: expiresAt })
      .execute()
    // Expired rows are dropped as new ones arrive, one user at a time.
    await this.db.deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('expires_at', '<=', this.now())
      .execute()
  }

  async isOpen (userId: string, tokenId: string) {
    const row = await this.db.selectFrom('sessions')
      .select('token_id')
      .where('token_id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('expires_at', '>', this.now())
      .executeTakeFirst()

    return row !== undefined
  }

  async close (userId: string, tokenId: string) {
    await this.db.deleteFrom('sessions')
      .where('token_id', '=', tokenId)
      .where('user_id', '=', userId)
      .execute()
  }

  async closeAll (userId: string) {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute()
  }

  async closeAllExcept (userId: string, keptTokenId: string) {
    await this.db.deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('token_id', '<>', keptTokenId)
      .execute()
  }
}
