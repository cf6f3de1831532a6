/**
 * What a load did, in numbers, and how it reads on a terminal. Money stays
 * in integer cents; the printed form adds dollars for the eye.
 */
import type { CheckReport } from './check-read-models.ts'

export interface LoadSummary {
  readonly runId: string
  readonly url: string
  /** The in-process server's database engine, or 'remote' with --url. */
  readonly engine: string
  readonly vendors: number
  readonly products: number
  readonly users: number
  /** Dataset passwords a password policy refused (a derived one was used). */
  readonly passwordsRefused: number
  readonly ordersAccepted: number
  readonly ordersRefused: number
  /** Refused orders by the problem code the API gave. */
  readonly refusals: Readonly<Record<string, number>>
  /** Sum of the accepted orders' totals. */
  readonly revenueCents: number
  readonly unitsSold: number
  /** Sum of this run's products' stock after the orders, as the
   * catalogue (GET /api/products) lists it. */
  readonly remainingStock: number
  /** The same sum by the loader's own ledger: the stock it created, less
   * the units of every order accepted. */
  readonly expectedRemainingStock: number
  /** Wall time of the replay (catalogue, users, orders), checks excluded. */
  readonly elapsedMs: number
  readonly phaseMs: Readonly<Record<string, number>>
  readonly eventsAppended: number
  readonly eventsPerSecond: number
  readonly checks: CheckReport
}

export function formatSummary (summary: LoadSummary): string[] {
  const s = summary
  const refusals = Object.entries(s.refusals)
    .map(([code, count]) => `${code} ${count}`).join(', ')
  const phases = Object.entries(s.phaseMs)
    .map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')

  return [
    `run ${s.runId} against ${s.url} (${s.engine})`,
    row('vendors', s.vendors),
    row('products', s.products),
    row('users registered', s.users),
    row('dataset passwords refused by policy', s.passwordsRefused),
    row('orders accepted', s.ordersAccepted),
    row('orders refused', s.ordersRefused) +
      (refusals === '' ? '' : ` (${refusals})`),
    row('revenue', `${s.revenueCents} cents`) +
      ` ($${(s.revenueCents / 100).toFixed(2)})`,
    row('units sold', s.unitsSold),
    row('remaining stock', s.remainingStock) +
      ` (the loader expected ${s.expectedRemainingStock})`,
    row('total time', seconds(s.elapsedMs)) + ` (${phases})`,
    row('events appended', s.eventsAppended) +
      ` (${s.eventsPerSecond.toFixed(1)} events/s)`
  ]
}

export function formatChecks (checks: CheckReport): string[] {
  return [
    ...checks.failures.map((failure) => `MISMATCH ${failure}`),
    `checks: ${checks.passed} passed, ${checks.failed} failed`
  ]
}

function row (label: string, value: number | string) {
  return `${`${label}:`.padEnd(37)}${value}`
}

function seconds (ms: number) {
  return `${(ms / 1000).toFixed(1)} s`
}
