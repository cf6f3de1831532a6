/**
 * The whole PostgreSQL schema as Kysely sees it: each part of the system
 * declares its own tables beside its code, and they meet here.
 */
import type { ApiKeyTables } from '../commands/api-keys/api-key-tables.ts'
import type { CommandIndexTables } from '../commands/index-tables.ts'
import type { KeyStoreTables } from '../crypto/key-store-tables.ts'
import type { EventTables } from '../eventstore/postgres/event-tables.ts'
import type { SessionTables } from '../http/auth/session-tables.ts'
import type { ReadModelTables } from '../projections/read-model-tables.ts'

export type Database =
  EventTables & KeyStoreTables & CommandIndexTables & ReadModelTables &
  SessionTables & ApiKeyTables
