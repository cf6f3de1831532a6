import t from 'tap'

import {
  assertRunId,
  createRunId,
  tagEmail,
  tagSku,
  tagUsername,
  vendorEmail
} from '../../src/loader/run-tag.ts'

t.test('a run id is six lower-case letters or digits', async (t) => {
  const ids = Array.from({ length: 50 }, createRunId)

  for (const id of ids) t.match(id, /^[a-z0-9]{6}$/)
  t.ok(new Set(ids).size > 45)
})

t.test('identities carry the run id', async (t) => {
  t.equal(tagEmail('emily.johnson@x.dummyjson.com', 'k3x9q1'),
    'emily.johnson+k3x9q1@x.dummyjson.com')
  t.equal(tagUsername('emilys', 'k3x9q1'), 'emilys_k3x9q1')
  t.equal(tagSku('BEA-ESS-ESS-001', 'k3x9q1'), 'BEA-ESS-ESS-001-K3X9Q1')
  t.equal(vendorEmail('dolce-gabbana', 'k3x9q1'),
    'dolce-gabbana+k3x9q1@vendors.example')
})

t.test('a malformed email or run id is refused', async (t) => {
  t.throws(() => tagEmail('no-at-sign', 'r1'), { code: 'CR_ERR_LOADER_DATASET' })
  t.throws(() => assertRunId('ABC'), { code: 'CR_ERR_LOADER_RUN_ID' })
  t.throws(() => assertRunId('abc-1'), { code: 'CR_ERR_LOADER_RUN_ID' })
  t.throws(() => assertRunId('a'.repeat(13)), { code: 'CR_ERR_LOADER_RUN_ID' })
  t.doesNotThrow(() => assertRunId('k3x9q1'))
})
