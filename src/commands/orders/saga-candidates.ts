/**
 * What the event log says may still be open in order sagas: reservations
 * of orders not recorded (yet), and cancelled orders whose stock may not
 * all be back. The reconciler keeps one of these between runs and feeds it
 * the log from where it stopped. The log only points at candidates; each
 * is decided again on its own streams before anything is written, since
 * the log may trail them.
 */
import type { RecordedEvent } from '../../eventstore/event-store.ts'
import type { StockReleased, StockReserved } from '../products/events.ts'
import type { OrderCancelled, OrderPlaced } from './events.ts'

export const SAGA_EVENT_TYPES: readonly string[] = [
  'StockReserved',
  'StockReleased',
  'OrderPlaced',
  'OrderCancelled'
]

export interface UnrecordedOrder {
  readonly orderId: string
  /** The reservation event still open on each product, by product id. */
  readonly reservations: Map<string, RecordedEvent>
}

export interface CancelledOrder {
  readonly orderId: string
  readonly cancellation: RecordedEvent
  /** Products whose release the log has shown since the cancellation. */
  readonly released: Set<string>
}

export class SagaCandidates {
  /** Position of the last saga event taken in; 0n before the first. */
  after = 0n
  readonly unrecorded = new Map<string, UnrecordedOrder>()
  readonly cancelled = new Map<string, CancelledOrder>()

  takeIn (event: RecordedEvent) {
    switch (event.type) {
      case 'StockReserved':
        this.reserved(event)
        break
      case 'StockReleased':
        this.released(event.data as StockReleased)
        break
      case 'OrderPlaced':
        this.unrecorded.delete((event.data as OrderPlaced).orderId)
        break
      case 'OrderCancelled': {
        const { orderId } = event.data as OrderCancelled
        this.cancelled.set(orderId,
          { orderId, cancellation: event, released: new Set() })
        break
      }
    }
    this.after = event.position
  }

  private reserved (event: RecordedEvent) {
    const { orderId, productId } = event.data as StockReserved
    const order = this.unrecorded.get(orderId) ??
      { orderId, reservations: new Map() }
    order.reservations.set(productId, event)
    this.unrecorded.set(orderId, order)
  }

  private released ({ orderId, productId }: StockReleased) {
    const order = this.unrecorded.get(orderId)
    order?.reservations.delete(productId)
    if (order?.reservations.size === 0) this.unrecorded.delete(orderId)
    this.cancelled.get(orderId)?.released.add(productId)
  }
}

/** When the order's saga last moved: its newest reservation. */
export function lastReservationOf (order: UnrecordedOrder): RecordedEvent {
  let last: RecordedEvent | undefined
  for (const event of order.reservations.values()) {
    if (last === undefined || event.position > last.position) last = event
  }

  return last!
}

/** When an event was appended, by the writer's clock, in milliseconds. */
export function occurredAtMs (event: RecordedEvent) {
  return Date.parse(event.metadata.occurredAt)
}
