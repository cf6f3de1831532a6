/**
 * `audit verify` checks every stream's hash chain from the stored events
 * alone: it passes on an honest history and, once one row is edited in
 * the database behind the service's back, fails naming that stream.
 */
import { sql } from 'kysely'
import t from 'tap'

import { registerUser } from '../../src/commands/users/register-user.ts'
import type { Runtime } from '../../src/runtime/open-runtime.ts'
import { newRegistration, TEST_OPERATOR } from '../helpers/app.ts'
import { createCliTarget } from '../helpers/cli.ts'


const target = await createCliTarget(t)
const { tampered, intact, log } = await target.withRuntime(async (runtime) => {
  const first = await registerUser(runtime.services, TEST_OPERATOR,
    newRegistration())
  const second = await registerUser(runtime.services, TEST_OPERATOR,
    newRegistration())

  return { tampered: `user-${first.userId}`, intact: `user-${second.userId}`,
    log: await countLog(runtime) }
})

t.test('verify reports every stream intact and exits 0', async (t) => {
  const result = await target.run(['audit', 'verify'])

  t.equal(result.code, 0, result.stderr)
  t.equal(result.stdout,
    `${log.streams} streams, ${log.events} events verified, 0 broken\n`)
  t.ok(log.streams >= 2)
})

t.test('an edited event fails verify, naming its stream', async (t) => {
  await target.withRuntime(async (runtime) => {
    await sql`update events set data = jsonb_set(data, '{role}', '"admin"')
      where stream_id = ${tampered} and stream_revision = 0`
      .execute(runtime.database.db)
  })

  const result = await target.run(['audit', 'verify'])

  t.equal(result.code, 1)
  const lines = result.stdout.trimEnd().split('\n')
  t.equal(lines.length, 2, result.stdout)
  t.equal(lines[0], `BROKEN ${tampered} at revision 0: ` +
    'hash does not match the stored content')
  // Only the sound events count: the edited one is its stream's only one.
  t.equal(lines[1],
    `${log.streams} streams, ${log.events - 1} events verified, 1 broken`)
})

t.test('verify --stream checks that stream alone', async (t) => {
  const result = await target.run(['audit', 'verify', '--stream', intact])

  t.equal(result.code, 0, result.stderr)
  t.equal(result.stdout, '1 streams, 1 events verified, 0 broken\n')
})

t.test('verify --stream of a stream with no events fails, naming it', async (t) => {
  const result = await target.run(['audit', 'verify', '--stream',
    'user-00000000-0000-4000-8000-000000000000'])

  t.equal(result.code, 1)
  t.equal(result.stdout, 'MISSING user-00000000-0000-4000-8000-000000000000: ' +
    'no events\n1 streams, 0 events verified, 1 broken\n')
})

async function countLog (runtime: Runtime) {
  const row = await runtime.database.db.selectFrom('events')
    .select((eb) => [
      eb.fn.count<string>('stream_id').distinct().as('streams'),
      eb.fn.countAll<string>().as('events')
    ])
    .executeTakeFirstOrThrow()

  return { streams: Number(row.streams), events: Number(row.events) }
}
