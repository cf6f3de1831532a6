import type { ColumnType } from 'kysely'

export interface SessionTable {
  token_id: string
  user_id: string
  expires_at: ColumnType<Date, Date, Date>
}

export interface SessionTables {
  sessions: SessionTable
}
