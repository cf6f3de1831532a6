/**
 * `cloudretail load`: replays the DummyJSON folder through the HTTP API as
 * its people would (vendors list the catalogue, shoppers register and sign
 * in, each cart becomes an order), sums up what happened, and checks the
 * read models against what was sent.
 *
 * @example
 * const summary = await runLoad({ dir: 'data/dummyjson', progress: 'off' })
 * if (summary.checks.failed > 0) process.exitCode = 1
 */
import { ApiClient } from './api-client.ts'
import { checkReadModels } from './check-read-models.ts'
import { readDataset, type Dataset } from './dataset.ts'
import { countEventsAfter, readHead } from './event-log.ts'
import { loadCatalogue, type LoadedCatalogue } from './load-catalogue.ts'
import { DEFAULT_CONCURRENCY } from './load-concurrency.ts'
import type { LoadSummary } from './load-summary.ts'
import { openTarget } from './load-target.ts'
import { loadUsers, type LoadedUsers } from './load-users.ts'
import { planVendors } from './map-catalogue.ts'
import { createProgress, type ProgressMode } from './progress.ts'
import {
  logIn,
  PositionTracker,
  type ReplayContext
} from './replay-context.ts'
import { replayOrders, type ReplayedOrder } from './replay-orders.ts'
import { assertRunId, createRunId } from './run-tag.ts'
import { StockLedger } from './stock-ledger.ts'

export interface LoadOptions {
  /** The folder holding products.json, users.json and carts.json. */
  readonly dir: string
  /** A running server; without it one starts in this process. */
  readonly url?: string
  /** Tags every identity created; random when absent. */
  readonly runId?: string
  /** Registrations and sign-ins in flight at once (bcrypt is slow). */
  readonly concurrency?: number
  readonly progress?: ProgressMode
  /** Where the configuration and admin credentials are read from. */
  readonly env?: NodeJS.ProcessEnv
  /** How requests are sent (the global fetch); tests put a server that
   * misbehaves in its place. */
  readonly fetch?: typeof fetch
}

export async function runLoad (options: LoadOptions): Promise<LoadSummary> {
  const runId = options.runId ?? createRunId()
  assertRunId(runId)
  const dataset = await readDataset(options.dir)
  const target = await openTarget(options.url, runId,
    options.env ?? process.env)
  try {
    const api = new ApiClient(target.url, options.fetch)
    const { token } = await logIn(api, target.admin.email,
      target.admin.password)
    const context: ReplayContext = {
      api,
      adminToken: token,
      runId,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      progress: createProgress(options.progress ?? 'auto'),
      positions: new PositionTracker()
    }

    const startHead = await readHead(api, token)
    const replayed = await replay(context, dataset)
    const eventsAppended = await countEventsAfter(api, token, startHead)
    const { checks, remainingStock } = await checkReadModels(context,
      replayed.catalogue, replayed.orders, replayed.ledger)

    return summarise(replayed, {
      runId,
      url: target.url,
      engine: target.engine,
      eventsAppended,
      remainingStock,
      checks
    })
  } finally {
    await target.close()
  }
}

interface Replay {
  readonly catalogue: LoadedCatalogue
  readonly users: LoadedUsers
  readonly orders: readonly ReplayedOrder[]
  readonly ledger: StockLedger
  readonly phaseMs: Record<string, number>
  readonly elapsedMs: number
}

async function replay (context: ReplayContext, dataset: Dataset) {
  const phaseMs: Record<string, number> = {}
  const timed = async <T>(name: string, work: () => Promise<T>) => {
    const started = performance.now()
    const result = await work()
    phaseMs[name] = Math.round(performance.now() - started)

    return result
  }
  const started = performance.now()

  const catalogue = await timed('catalogue', () => loadCatalogue(context,
    planVendors(dataset.products, context.runId)))
  const users = await timed('users', () => loadUsers(context, dataset.users))
  const ledger = new StockLedger(catalogue.products.map((p) =>
    [p.datasetId, p.body.stock]))
  const orders = await timed('orders', () => replayOrders(context, {
    carts: dataset.carts,
    catalogue: new Map(dataset.products.map((p) => [p.id, p])),
    productIds: catalogue.productIds,
    shoppers: users.shoppers,
    ledger
  }))

  return { catalogue, users, orders, ledger, phaseMs,
    elapsedMs: Math.round(performance.now() - started) } satisfies Replay
}

function summarise (
  replay: Replay,
  rest: Pick<LoadSummary, 'runId' | 'url' | 'engine' | 'eventsAppended' |
    'remainingStock' | 'checks'>
): LoadSummary {
  const accepted = replay.orders.filter((o) => o.accepted !== undefined)
  const refusals: Record<string, number> = {}
  for (const order of replay.orders) {
    if (order.refusedWith === undefined) continue
    refusals[order.refusedWith] = (refusals[order.refusedWith] ?? 0) + 1
  }
  const unitsSold = accepted.flatMap((o) => o.lines)
    .reduce((sum, line) => sum + line.quantity, 0)

  return {
    ...rest,
    vendors: replay.catalogue.vendors,
    products: replay.catalogue.products.length,
    users: replay.users.shoppers.size,
    passwordsRefused: replay.users.passwordsRefused,
    ordersAccepted: accepted.length,
    ordersRefused: replay.orders.length - accepted.length,
    refusals,
    revenueCents: accepted.reduce((sum, o) => sum + o.accepted!.totalCents, 0),
    unitsSold,
    expectedRemainingStock: replay.ledger.totalStock,
    elapsedMs: replay.elapsedMs,
    phaseMs: replay.phaseMs,
    eventsPerSecond: replay.elapsedMs === 0
      ? 0
      : rest.eventsAppended * 1000 / replay.elapsedMs
  }
}
