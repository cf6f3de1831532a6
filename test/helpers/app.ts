/**
 * The real Fastify app over a fresh database (PGlite in memory, or a scratch
 * PostgreSQL database with TEST_DATABASE_URL), with the projector running,
 * so route tests go through exactly what the server runs. Requests go
 * through inject; the app closes on teardown.
 */
import { randomBytes, randomUUID } from 'node:crypto'

import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

import type {
  CommandContext,
  CommandServices
} from '../../src/commands/command-context.ts'
import { registerUser } from '../../src/commands/users/register-user.ts'
import type { Role } from '../../src/commands/users/events.ts'
import { PersonalDataCodec } from '../../src/crypto/personal-data-codec.ts'
import { SubjectKeyStore } from '../../src/crypto/subject-key-store.ts'
import {
  createPostgresEventStore
} from '../../src/eventstore/postgres/postgres-event-store.ts'
import { buildApp, type AppOptions } from '../../src/http/app.ts'
import type { AppDependencies } from '../../src/http/app-dependencies.ts'
import { PostgresSessionStore } from '../../src/http/auth/postgres-session-store.ts'
import { ALL_PROJECTIONS } from '../../src/projections/index.ts'
import { startProjector } from '../../src/projections/projector.ts'
import { waitForPosition } from '../../src/projections/wait-for-position.ts'
import type { DatabaseHandle } from '../../src/storage/database.ts'
import { openTestDatabase } from './database.ts'

interface Teardown { teardown(fn: () => unknown): void }

export interface TestApp {
  readonly app: FastifyInstance
  readonly services: CommandServices
  readonly database: DatabaseHandle
  readonly jwtSecret: Buffer
}

export async function buildTestApp (
  t: Teardown,
  options: AppOptions = {},
  extraDependencies: Pick<AppDependencies, 'readinessProbes'> = {}
): Promise<TestApp> {
  const database = await openTestDatabase(t)
  const store = createPostgresEventStore(database.db)
  const keys = new SubjectKeyStore({
    db: database.db,
    keyEncryptionKey: randomBytes(32)
  })
  const services: CommandServices = {
    store,
    db: database.db,
    keys,
    codec: new PersonalDataCodec({ keys }),
    blindIndexKey: randomBytes(32),
    now: () => new Date()
  }
  const jwtSecret = randomBytes(32)
  const projector = await startProjector(store, database.db, ALL_PROJECTIONS,
    (event) => services.codec.reveal(event), { retryMs: 50 })
  const app = await buildApp({
    services,
    sessions: new PostgresSessionStore(database.db),
    jwtSecret,
    waitForProjections: (names, position) =>
      waitForPosition(database.db, names, position, { timeoutMs: 5000 }),
    ...extraDependencies
  }, { rateLimit: INJECTED_CLIENT_EXEMPT, ...options })
  // Registered after the database's teardown, so it runs first.
  t.teardown(async () => {
    await app.close()
    await projector.stop()
    await store.close()
  })

  return { app, services, database, jwtSecret }
}

// Route tests sign many users up from inject's one address; the limits
// themselves are tested in test/http/rate-limit with their own settings.
const INJECTED_CLIENT_EXEMPT = { exemptAddresses: ['127.0.0.1'] }

let counter = 0

/** A unique, valid registration body. */
export function newRegistration (overrides: Record<string, unknown> = {}) {
  counter++
  const tag = `${Date.now().toString(36)}${counter}`

  return {
    email: `shopper.${tag}@example.com`,
    username: `shopper_${tag}`,
    password: 'Correct-Horse-Battery-9',
    firstName: 'Ada',
    lastName: 'Lovelace',
    address: {
      street: '12 Analytical Way',
      city: 'London',
      state: 'Greater London',
      postalCode: 'N1 7AA',
      country: 'United Kingdom'
    },
    gdprConsent: true,
    ...overrides
  }
}

/** Setup done as an operator would do it from the CLI. */
export const TEST_OPERATOR: CommandContext = {
  actor: { kind: 'cli', id: 'test-operator' },
  correlationId: 'test-setup',
  client: {}
}

export interface SignedIn {
  readonly userId: string
  readonly role: Role
  readonly token: string
  readonly email: string
  readonly password: string
  readonly auth: { authorization: string }
}

/** Registers through the API, promotes if asked (as the CLI would), and
 * logs in through the API. */
export async function signUp (
  test: TestApp,
  role: Role = 'customer',
  overrides: Record<string, unknown> = {}
): Promise<SignedIn> {
  const body = newRegistration(overrides)
  let userId: string
  if (role === 'customer') {
    const registered = await test.app.inject({
      method: 'POST', url: '/api/users/register', payload: body
    })
    assertStatus(registered, 201)
    userId = registered.json().userId
  } else {
    const result = await registerUser(test.services, TEST_OPERATOR, body,
      role)
    userId = result.userId
  }

  const login = await test.app.inject({
    method: 'POST',
    url: '/api/users/login',
    payload: { email: body.email, password: body.password }
  })
  assertStatus(login, 200)
  const token = login.json().token as string

  return { userId, role, token, email: body.email, password: body.password,
    auth: { authorization: `Bearer ${token}` } }
}

/**
 * Customers for a race, registered through the API ten at a time. Their
 * tokens are issued the way the login route issues them, sparing a bcrypt
 * compare each that the login tests already cover.
 */
export async function registerCustomers (
  test: TestApp,
  count: number
): Promise<{ authorization: string }[]> {
  const register = async () => {
    const registered = await test.app.inject({
      method: 'POST', url: '/api/users/register', payload: newRegistration()
    })
    const { userId } = registered.json()
    const token = await test.app.issueSessionToken(
      { userId, email: '', role: 'customer' }, randomUUID())

    return { authorization: `Bearer ${token}` }
  }
  const customers: { authorization: string }[] = []
  for (let done = 0; done < count; done += 10) {
    customers.push(...await Promise.all(
      Array.from({ length: Math.min(10, count - done) }, register)))
  }

  return customers
}

function assertStatus (response: LightMyRequestResponse, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ` +
      response.body)
  }
}
