/**
 * The event log as an admin sees it over HTTP: where its head stands
 * (GET /api/admin/projections), and how many events were appended after a
 * position (GET /api/audit/events).
 *
 * Events are counted by paging through the log, not by subtracting
 * positions: positions come from a sequence, and an append that rolls back
 * still uses up its numbers, so the difference of two positions can
 * overstate the count. On a shared server the count includes anything other
 * clients appended during the run.
 */
import type { ApiClient } from './api-client.ts'

export interface ProjectionsReply {
  readonly head: string
  readonly projections: readonly {
    readonly name: string
    readonly checkpoint: string
    readonly lag: string
    readonly state: string
  }[]
}

interface EventPage {
  readonly items: readonly { readonly position: string }[]
  readonly next: string | null
}

const EVENT_PAGE_SIZE = 1000

export async function readProjections (api: ApiClient, token: string) {
  return api.call<ProjectionsReply>('GET', '/api/admin/projections', 200,
    { token })
}

export async function readHead (api: ApiClient, token: string) {
  return (await readProjections(api, token)).head
}

export async function countEventsAfter (
  api: ApiClient,
  token: string,
  after: string
) {
  let count = 0
  let cursor: string | null = after
  while (cursor !== null) {
    const page: EventPage = await api.call<EventPage>('GET',
      `/api/audit/events?after=${cursor}&limit=${EVENT_PAGE_SIZE}`, 200,
      { token })
    count += page.items.length
    cursor = page.next
  }

  return count
}
