/**
 * The users read model: one row per account, for the admin list and the
 * profile. Personal columns hold what the events reveal; on erasure they are
 * nulled and the row keeps only its id, role, dates and the erased flag.
 */
import type { Kysely, Selectable } from 'kysely'

import type {
  Address,
  Consent,
  Role,
  UserErased,
  UserProfileUpdated,
  UserRegistered,
  UserRoleChanged
} from '../commands/users/events.ts'
import type { RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import { decodeCursor, toPage, toPageSize, type Page } from './keyset-cursor.ts'
import type { Projection } from './projection.ts'
import type { UsersReadTable } from './read-model-tables.ts'
import { toIso, toIsoOrNull, toJsonb, toPersonal } from './read-values.ts'

export interface UserView {
  readonly userId: string
  readonly role: Role
  readonly email: string | null
  readonly username: string | null
  readonly firstName: string | null
  readonly lastName: string | null
  readonly address: Address | null
  readonly consent: Consent
  readonly erased: boolean
  readonly registeredAt: string
  readonly erasedAt: string | null
}

export const usersProjection: Projection = {
  name: 'users',
  version: 1,
  handles: ['UserRegistered', 'UserRoleChanged', 'UserProfileUpdated',
    'UserErased'],
  tables: ['rm_users'],
  async apply (trx, event) {
    switch (event.type) {
      case 'UserRegistered':
        return await registerUser(trx, event)
      case 'UserRoleChanged':
        return await changeRole(trx, event.data as UserRoleChanged)
      case 'UserProfileUpdated':
        return await updateProfile(trx, event.data as UserProfileUpdated)
      case 'UserErased':
        return await eraseUser(trx, event.data as UserErased)
    }
  }
}

export interface ListUsersOptions {
  readonly role?: Role
  /** 1..100, default 20. */
  readonly limit?: number
  /** nextCursor of the previous page. */
  readonly after?: string
}

/** Users in registration order, a page at a time. */
export async function listUsers (
  db: Kysely<Database>,
  options: ListUsersOptions = {}
): Promise<Page<UserView>> {
  const size = toPageSize(options.limit)
  let query = db.selectFrom('rm_users').selectAll()
    .orderBy('seq', 'asc')
    .limit(size + 1)
  if (options.role !== undefined) {
    query = query.where('role', '=', options.role)
  }
  if (options.after !== undefined) {
    query = query.where('seq', '>', decodeCursor(options.after))
  }

  return toPage(await query.execute(), size, toUserView)
}

export async function getUser (
  db: Kysely<Database>,
  userId: string
): Promise<UserView | undefined> {
  const row = await db.selectFrom('rm_users').selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst()

  return row === undefined ? undefined : toUserView(row)
}

async function registerUser (trx: Kysely<Database>, event: RecordedEvent) {
  const data = event.data as UserRegistered
  const address = toPersonal(data.address)

  await trx.insertInto('rm_users')
    .values({
      user_id: data.userId,
      role: data.role,
      email: toPersonal(data.email),
      username: toPersonal(data.username),
      first_name: toPersonal(data.firstName),
      last_name: toPersonal(data.lastName),
      address: address === null ? null : toJsonb(address),
      consent: toJsonb(data.consent),
      erased: false,
      registered_at: event.metadata.occurredAt,
      erased_at: null,
      seq: event.position.toString()
    })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute()
}

async function changeRole (trx: Kysely<Database>, data: UserRoleChanged) {
  await trx.updateTable('rm_users')
    .set({ role: data.to })
    .where('user_id', '=', data.userId)
    .execute()
}

// Only the fields the event carries change; an erased row stays empty even
// when a rebuild replays an update made before the erasure.
async function updateProfile (
  trx: Kysely<Database>,
  data: UserProfileUpdated
) {
  const address = data.address === undefined
    ? undefined
    : toPersonal(data.address)
  const changes = {
    ...(data.firstName === undefined
      ? {}
      : { first_name: toPersonal(data.firstName) }),
    ...(data.lastName === undefined
      ? {}
      : { last_name: toPersonal(data.lastName) }),
    ...(address === undefined
      ? {}
      : { address: address === null ? null : toJsonb(address) })
  }
  if (Object.keys(changes).length === 0) return

  await trx.updateTable('rm_users')
    .set(changes)
    .where('user_id', '=', data.userId)
    .where('erased', '=', false)
    .execute()
}

async function eraseUser (trx: Kysely<Database>, data: UserErased) {
  await trx.updateTable('rm_users')
    .set({
      email: null,
      username: null,
      first_name: null,
      last_name: null,
      address: null,
      erased: true,
      erased_at: data.erasedAt
    })
    .where('user_id', '=', data.userId)
    .execute()
}

function toUserView (row: Selectable<UsersReadTable>): UserView {
  return {
    userId: row.user_id,
    role: row.role,
    email: row.email,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    address: row.address,
    consent: row.consent,
    erased: row.erased,
    registeredAt: toIso(row.registered_at),
    erasedAt: toIsoOrNull(row.erased_at)
  }
}
