/**
 * `users create-admin` and `users set-role` as an operator runs them: the
 * password only ever comes from standard input and is held to the policy,
 * the admin can sign in afterwards, and every event the commands append
 * names the operator as its actor.
 */
import { userInfo } from 'node:os'

import t from 'tap'

import type { RunningServer } from '../../src/http/server.ts'
import { newRegistration } from '../helpers/app.ts'
import { createCliTarget, STACK_TRACE_LINE } from '../helpers/cli.ts'

const ADMIN = {
  email: 'ops.lead@example.com',
  username: 'opslead',
  password: 'Sturdy-Lantern-Fig-42!'
}
const WEAK_PASSWORD = 'lantern42'
const OPERATOR = { kind: 'cli', id: userInfo().username }
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

// One data folder (or scratch database) for the file; the tests build on
// each other in order, the way an operator bootstraps a shop.
const target = await createCliTarget(t)
const createAdmin = (input: string, extra: string[] = []) =>
  target.run(['users', 'create-admin', '--email', ADMIN.email,
    '--username', ADMIN.username, ...extra], { input })
const customer = newRegistration()
let adminId = ''
let customerId = ''
let customerToken = ''

t.test('a weak password is refused naming the rules, never echoed',
  async (t) => {
    const result = await createAdmin(`${WEAK_PASSWORD}\n`)

    t.equal(result.code, 1)
    t.match(result.stderr, /^cloudretail: the password needs at least 12 characters/)
    t.match(result.stderr, 'an upper-case letter')
    t.match(result.stderr, 'a special character')
    t.notMatch(result.stderr, STACK_TRACE_LINE)
    t.notOk((result.stdout + result.stderr).includes(WEAK_PASSWORD))
  })

t.test('the password is taken from standard input only', async (t) => {
  const [asArgument, nothingPiped] = await Promise.all([
    createAdmin('', [`--password=${ADMIN.password}`]),
    createAdmin('')
  ])

  t.equal(asArgument.code, 1)
  t.match(asArgument.stderr, /^error: unknown option '--password=…'\n/)
  t.notOk(asArgument.stderr.includes(ADMIN.password), 'not repeated')
  t.equal(nothingPiped.code, 1)
  t.equal(nothingPiped.stderr,
    'cloudretail: no password was given on standard input\n')
})

t.test('create-admin reads a piped password and creates the admin',
  async (t) => {
    const result = await createAdmin(`${ADMIN.password}\n`)

    t.equal(result.code, 0, result.stderr)
    const created = new RegExp(`^admin (${UUID}) created\n$`)
      .exec(result.stdout)
    t.ok(created, result.stdout)
    t.notOk((result.stdout + result.stderr).includes(ADMIN.password))
    adminId = created?.[1] ?? ''
  })

t.test('the admin signs in, registered by the operator', async (t) => {
  await target.withServer(async (server) => {
    const login = await logIn(server, ADMIN.email, ADMIN.password)
    t.equal(login.statusCode, 200, login.body)
    t.same(login.json().user, { userId: adminId, role: 'admin' })

    const [registered] = await readStream(server, `user-${adminId}`)
    t.equal(registered?.type, 'UserRegistered')
    t.equal(registered?.data.role, 'admin')
    t.same(registered?.metadata.actor, OPERATOR)

    // Someone for set-role to promote, signed in so that the promotion
    // can be seen to end the session.
    const signUp = await server.app.inject({ method: 'POST',
      url: '/api/users/register', payload: customer })
    t.equal(signUp.statusCode, 201, signUp.body)
    customerId = signUp.json().userId
    const customerLogin = await logIn(server, customer.email, customer.password)
    customerToken = customerLogin.json().token
  })
})

t.test('set-role promotes a user as the operator and ends their sessions',
  async (t) => {
    const result = await target.run(['users', 'set-role', customer.email,
      'vendor'])

    t.equal(result.code, 0, result.stderr)
    t.equal(result.stdout, `user ${customerId} is now vendor\n`)
    await target.withServer(async (server) => {
      const changed = (await readStream(server, `user-${customerId}`))
        .filter((event) => event.type === 'UserRoleChanged')
      t.same(changed.map((event) => event.data),
        [{ userId: customerId, from: 'customer', to: 'vendor' }])
      t.same(changed[0]?.metadata.actor, OPERATOR)

      const me = await server.app.inject({ method: 'GET',
        url: '/api/users/me',
        headers: { authorization: `Bearer ${customerToken}` } })
      t.equal(me.statusCode, 401, 'the token from before is closed')
      const login = await logIn(server, customer.email, customer.password)
      t.equal(login.json().user.role, 'vendor')
    })
  })

t.test('set-role refuses an unknown email and an unknown role', async (t) => {
  const [unknownEmail, unknownRole] = await Promise.all([
    target.run(['users', 'set-role', 'nobody@example.com', 'vendor']),
    target.run(['users', 'set-role', customer.email, 'superuser'])
  ])

  t.equal(unknownEmail.code, 1)
  t.equal(unknownEmail.stderr, 'cloudretail: no user has that email\n')
  t.equal(unknownRole.code, 1)
  t.equal(unknownRole.stderr,
    'cloudretail: role must be one of customer, vendor, admin, auditor\n')
  t.equal(unknownEmail.stdout + unknownRole.stdout, '')
})

function logIn (server: RunningServer, email: string, password: string) {
  return server.app.inject({ method: 'POST', url: '/api/users/login',
    payload: { email, password } })
}

// The events table itself, not a read model or the store's decoding.
function readStream (server: RunningServer, stream: string) {
  return server.runtime.database.db.selectFrom('events')
    .select(['type', 'data', 'metadata'])
    .where('stream_id', '=', stream)
    .orderBy('stream_revision')
    .execute()
}
