import type { Migration } from 'kysely'
export const eventStoreMigrations: Record<string, Migration> = {}
