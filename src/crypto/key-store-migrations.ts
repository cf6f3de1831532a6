import type { Migration } from 'kysely'
export const keyStoreMigrations: Record<string, Migration> = {}
