/**
 * Opens an EventStoreDB client and proves the server answers before the
 * system starts on it. The probe has its own deadline: a peer that accepts
 * TCP but never answers leaves the client's first call hanging for over 90 s,
 * per-call deadline or not (STACK-NOTES, pitfall 11).
 */
import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client'

import { EventStoreUnavailableError } from '../errors.ts'

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000

export interface ConnectOptions {
  readonly probeTimeoutMs?: number
}

export async function connectEventStoreDb (
  connectionString: string,
  options: ConnectOptions = {}
): Promise<EventStoreDBClient> {
  const client = createClient(connectionString)
  const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  try {
    await withDeadline(probe(client), timeoutMs)
  } catch (error) {
    await client.dispose().catch(() => undefined)
    // The connection string is left out: it may carry credentials.
    throw new EventStoreUnavailableError(
      'EventStoreDB did not answer at start-up', { cause: error })
  }

  return client
}

function createClient (connectionString: string) {
  try {
    return EventStoreDBClient.connectionString(connectionString)
  } catch (error) {
    throw new EventStoreUnavailableError(
      'the EventStoreDB connection string is invalid', { cause: error })
  }
}

/** Reads the newest event of $all: it needs the same right as readAll and
 * subscribeAll, so missing permissions also fail at start. */
async function probe (client: EventStoreDBClient) {
  const read = client.readAll({
    direction: BACKWARDS,
    fromPosition: END,
    maxCount: 1
  })
  const events = read[Symbol.asyncIterator]()
  try {
    await events.next()
  } finally {
    await events.return?.()
  }
}

function withDeadline<T> (work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  // The abandoned call settles when the client is disposed; nobody awaits it.
  work.catch(() => undefined)

  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}
