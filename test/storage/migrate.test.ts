import t from 'tap'

import { migrateToLatest } from '../../src/storage/migrate.ts'
import { openTestDatabase } from '../helpers/database.ts'

t.test('migrating twice applies nothing the second time', async (t) => {
  const { db } = await openTestDatabase(t)

  t.same(await migrateToLatest(db), [])
})
