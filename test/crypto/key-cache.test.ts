import { randomBytes } from 'node:crypto'

import t from 'tap'

import { KeyCache } from '../../src/crypto/key-cache.ts'

function buildCache (maxEntries = 10) {
  const clock = { now: 1_000 }
  const cache = new KeyCache({
    maxEntries, ttlMs: 60_000, now: () => clock.now
  })

  return { cache, clock }
}

t.test('a key is served until its time to live runs out', async (t) => {
  const { cache, clock } = buildCache()
  const key = randomBytes(32)
  cache.set('user-1', key)

  clock.now += 59_999
  t.same(cache.get('user-1'), key)
  clock.now += 1
  t.equal(cache.get('user-1'), undefined)
  t.equal(cache.size, 0)
})

t.test('the least recently used key is evicted past the bound', async (t) => {
  const { cache } = buildCache(2)
  cache.set('a', randomBytes(32))
  cache.set('b', randomBytes(32))
  cache.get('a')
  cache.set('c', randomBytes(32))

  t.equal(cache.size, 2)
  t.equal(cache.get('b'), undefined)
  t.ok(cache.get('a'))
  t.ok(cache.get('c'))
})

t.test('readers get copies, so changing one leaves the cache intact', async (t) => {
  const { cache } = buildCache()
  const key = randomBytes(32)
  cache.set('user-1', key)
  cache.get('user-1')?.fill(0)
  key.fill(0)

  t.notSame(cache.get('user-1'), Buffer.alloc(32))
})

t.test('a deleted key is gone and clear empties the cache', async (t) => {
  const { cache } = buildCache()
  cache.set('a', randomBytes(32))
  cache.set('b', randomBytes(32))
  cache.delete('a')

  t.equal(cache.get('a'), undefined)
  cache.clear()
  t.equal(cache.size, 0)
})
