/**
 * Erasure records its event first and shreds the key second. If the process
 * died in between, the key outlives the erasure; this finds every recorded
 * erasure whose key still exists and shreds it. Safe to run at any time.
 */
import type { CommandServices } from '../command-context.ts'
import { releaseLookups } from './user-lookup.ts'

const PAGE = 1000

export async function finishErasures (services: CommandServices) {
  const finished: string[] = []
  let after = 0n
  for (;;) {
    const page = await services.store.readAll({
      afterPosition: after,
      limit: PAGE,
      filter: { eventTypes: ['UserErased'] }
    })
    for (const event of page) {
      const userId = (event.data as { userId: string }).userId
      if (!await services.keys.isErased(userId)) {
        await releaseLookups(services.db, userId)
        await services.keys.shred(userId)
        finished.push(userId)
      }
    }
    if (page.length < PAGE) return finished
    after = page.at(-1)!.position
  }
}
