/**
 * Finishes or undoes order sagas that a crash left half done, so stock
 * converges (see place-order.ts and cancel-order.ts for the sagas):
 *
 * - Stock reserved for an order that was never recorded is released, once
 *   the order's last reservation is older than the grace period. The order
 *   is first given up on its own stream (OrderAbandoned), so a writer that
 *   was only slow can no longer record it: the order stream's first event
 *   decides, once, whether the reservations belong to an order.
 * - A cancelled order whose stock did not all go back gets the rest back,
 *   once the cancellation is older than the grace period.
 *
 * Every write is decided by the aggregate's own decider on its current
 * stream and appended with the revision it was decided on, so replicas,
 * live orders and other reconcilers can run at the same time: a release
 * happens once, whoever gets there first. Each event names the reconciler
 * as a system actor, and its causation id is the reservation (or the
 * cancellation) it settles.
 */
import { randomUUID } from 'node:crypto'

import type { RecordedEvent } from '../../eventstore/event-store.ts'
import type { Actor } from '../../eventstore/event-metadata.ts'
import type { CommandContext, CommandServices } from '../command-context.ts'
import { handleCommand, loadState } from '../handle-command.ts'
import { productSpec } from '../products/change-product.ts'
import { decideRelease } from '../products/product-decider.ts'
import { decideAbandon, orderSpec } from './order-decider.ts'
import {
  lastReservationOf,
  occurredAtMs,
  SAGA_EVENT_TYPES,
  SagaCandidates,
  type CancelledOrder,
  type UnrecordedOrder
} from './saga-candidates.ts'

/** Longer than any live saga takes: a reservation's retries on a hot
 * product stream add up to seconds, not minutes. */
export const DEFAULT_SAGA_GRACE_MS = 60_000

export const RECONCILER_ACTOR: Actor =
  { kind: 'system', id: 'order-saga-reconciler' }

const ABANDON_REASON = 'not recorded within the grace period'
const LOG_PAGE = 1000
// As many as a live order's release gets (place-order.ts).
const RELEASE_ATTEMPTS = 50

export interface ReconcileOptions {
  /** Sagas that moved more recently than this are in flight and left
   * alone; default DEFAULT_SAGA_GRACE_MS. */
  readonly graceMs?: number
  /** Recorded on every event appended; default a fresh one per run. */
  readonly correlationId?: string
  /** Checked between steps: a stopping process ends the run early and
   * leaves the rest for the next one. */
  readonly isStopping?: () => boolean
  /** Told about each candidate that failed; it is tried again next run. */
  readonly onError?: (error: unknown) => void
}

export interface ReconcileReport {
  /** Orders given up because they were never recorded. */
  readonly abandoned: number
  /** Reservations of orders never recorded that were released. */
  readonly released: number
  /** Reservations of cancelled orders whose stock was returned. */
  readonly returned: number
  /** Candidates left for a later run: within the grace period, or failed. */
  readonly waiting: number
  readonly failed: number
}

export interface OrderSagaReconciler {
  /** One pass: reads the log from where the last pass stopped (the start,
   * the first time), then settles every candidate past the grace period. */
  reconcile(): Promise<ReconcileReport>
}

export function createOrderSagaReconciler (
  services: CommandServices,
  options: ReconcileOptions = {}
): OrderSagaReconciler {
  const candidates = new SagaCandidates()

  return {
    reconcile: () => new ReconcileRun(services, options, candidates).run()
  }
}

/**
 * One pass over the whole log, for a one-off run (the CLI).
 *
 * @example
 * const report = await reconcileOrderSagas(services, { graceMs: 60_000 })
 */
export async function reconcileOrderSagas (
  services: CommandServices,
  options: ReconcileOptions = {}
) {
  return await createOrderSagaReconciler(services, options).reconcile()
}

class ReconcileRun {
  private readonly tally = {
    abandoned: 0, released: 0, returned: 0, waiting: 0, failed: 0
  }

  private readonly correlationId: string
  private readonly graceMs: number
  private readonly isStopping: () => boolean

  constructor (
    private readonly services: CommandServices,
    private readonly options: ReconcileOptions,
    private readonly candidates: SagaCandidates
  ) {
    this.correlationId = options.correlationId ?? `reconcile-${randomUUID()}`
    this.graceMs = options.graceMs ?? DEFAULT_SAGA_GRACE_MS
    this.isStopping = options.isStopping ?? (() => false)
  }

  async run (): Promise<ReconcileReport> {
    await this.readLog()
    const cutoff = this.services.now().getTime() - this.graceMs

    await this.settleDue(this.candidates.unrecorded, cutoff,
      lastReservationOf, (order) => this.settleUnrecorded(order))
    await this.settleDue(this.candidates.cancelled, cutoff,
      (order) => order.cancellation, (order) => this.settleCancelled(order))

    return { ...this.tally }
  }

  /** Settles each candidate whose saga last moved before the cutoff (the
   * event `movedAt` names); the rest wait for a later run. */
  private async settleDue<Candidate> (
    candidates: ReadonlyMap<string, Candidate>,
    cutoff: number,
    movedAt: (candidate: Candidate) => RecordedEvent,
    settle: (candidate: Candidate) => Promise<void>
  ) {
    // A copy: settling deletes the candidate from the map.
    for (const candidate of [...candidates.values()]) {
      if (this.isStopping()) return
      if (occurredAtMs(movedAt(candidate)) > cutoff) {
        this.tally.waiting++
        continue
      }
      await this.attempt(() => settle(candidate))
    }
  }

  private async readLog () {
    for (;;) {
      const page = await this.services.store.readAll({
        afterPosition: this.candidates.after,
        limit: LOG_PAGE,
        filter: { eventTypes: SAGA_EVENT_TYPES }
      })
      for (const event of page) this.candidates.takeIn(event)
      if (page.length < LOG_PAGE || this.isStopping()) return
    }
  }

  /** Gives the order up unless it was recorded meanwhile; a given-up
   * order's reservations are released. */
  private async settleUnrecorded (order: UnrecordedOrder) {
    const last = lastReservationOf(order)
    const outcome = await handleCommand(this.services, this.causedBy(last), {
      ...orderSpec(order.orderId),
      decide: (state) => decideAbandon(state, order.orderId, ABANDON_REASON,
        this.services.now().toISOString())
    })
    this.tally.abandoned += outcome.events.length

    if (outcome.state.status === 'abandoned') {
      for (const [productId, reservation] of order.reservations) {
        this.tally.released += await this.release(productId, order.orderId,
          reservation)
        order.reservations.delete(productId)
      }
    }
    // Recorded after all (the log trailed): its reservations are the
    // order's, and a later cancellation comes through the log.
    this.candidates.unrecorded.delete(order.orderId)
  }

  private async settleCancelled (order: CancelledOrder) {
    const { state } = await loadState(this.services,
      orderSpec(order.orderId))
    for (const line of state.lines) {
      if (order.released.has(line.productId)) continue

      this.tally.returned += await this.release(line.productId,
        order.orderId, order.cancellation)
      order.released.add(line.productId)
    }
    this.candidates.cancelled.delete(order.orderId)
  }

  /** Releases the order's reservation on the product, if it still holds
   * one; answers how many releases were appended (0 or 1). */
  private async release (
    productId: string,
    orderId: string,
    cause: RecordedEvent
  ) {
    const outcome = await handleCommand(this.services, this.causedBy(cause), {
      ...productSpec(productId),
      attempts: RELEASE_ATTEMPTS,
      decide: (state) => decideRelease(state, orderId)
    })

    return outcome.events.length
  }

  private async attempt (settle: () => Promise<void>) {
    try {
      await settle()
    } catch (error) {
      this.tally.failed++
      this.tally.waiting++
      this.options.onError?.(error)
    }
  }

  private causedBy (cause: RecordedEvent): CommandContext {
    return {
      actor: RECONCILER_ACTOR,
      correlationId: this.correlationId,
      causationId: cause.metadata.eventId,
      client: {}
    }
  }
}
