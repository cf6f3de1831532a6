import { randomBytes } from 'node:crypto'

import t from 'tap'

import {
  anonymousSubjectFor,
  isAnonymousSubject,
  shredExpiredAnonymousKeys
} from '../../src/crypto/anonymous-subject.ts'
import { SubjectKeyStore } from '../../src/crypto/subject-key-store.ts'
import { openTestDatabase } from '../helpers/database.ts'

t.test('the anonymous subject names the UTC day', async (t) => {
  t.equal(anonymousSubjectFor(new Date('2024-01-31T23:30:00-02:00')),
    'anonymous-2024-02-01')
  t.ok(isAnonymousSubject('anonymous-2024-02-01'))
  t.notOk(isAnonymousSubject('anonymous-user'))
  t.notOk(isAnonymousSubject('user-1'))
})

t.test('keys older than the retention period are shredded', async (t) => {
  const { db } = await openTestDatabase(t)
  const keys = new SubjectKeyStore({ db, keyEncryptionKey: randomBytes(32) })
  for (const day of ['2024-01-09', '2024-01-10', '2024-01-11', '2024-04-10']) {
    await keys.createKey(`anonymous-${day}`)
  }
  await keys.createKey('user-1')
  const now = new Date('2024-04-10T12:00:00Z')

  t.same(await shredExpiredAnonymousKeys(keys, now),
    ['anonymous-2024-01-09', 'anonymous-2024-01-10'])
  t.same(await keys.listSubjects(''),
    ['anonymous-2024-01-11', 'anonymous-2024-04-10', 'user-1'])
  t.ok(await keys.isErased('anonymous-2024-01-10'))
  t.same(await shredExpiredAnonymousKeys(keys, now), [])
})
