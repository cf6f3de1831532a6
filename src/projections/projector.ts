/**
 * The live projector: the process (or part of one) that keeps read models
 * current. It takes the advisory lock of each projection it can, catches
 * those up from the log, then follows the store's subscription, committing
 * whatever has arrived as one batch per projection. Projections whose lock
 * another process holds are retried periodically, so a standby takes over
 * when the active one goes away.
 */
import type { Kysely } from 'kysely'

import type { EventStore, RecordedEvent } from '../eventstore/event-store.ts'
import type { Database } from '../storage/schema.ts'
import { bufferSubscription, type EventBuffer } from './event-buffer.ts'
import type { Projection, Reveal } from './projection.ts'
import { openProjectionLocks } from './projection-lock.ts'
import {
  catchUpProjection,
  commitBatch,
  DEFAULT_BATCH_SIZE,
  lastPosition
} from './projection-runner.ts'

export interface ProjectorOptions {
  /** Events per transaction; default 500. */
  readonly batchSize?: number
  /** Between attempts at a lock held elsewhere, or after a failure;
   * default 1000. */
  readonly retryMs?: number
  /** Told about every failure; the projector itself keeps going. */
  readonly onError?: (error: unknown) => void
}

export interface Projector {
  /** Names of the projections this projector is the active writer for. */
  readonly active: ReadonlySet<string>
  /** Lets the batch in flight commit, then releases locks and returns. */
  stop(): Promise<void>
}

export async function startProjector (
  store: EventStore,
  db: Kysely<Database>,
  projections: readonly Projection[],
  reveal: Reveal,
  options: ProjectorOptions = {}
): Promise<Projector> {
  const run = new ProjectorRun(store, db, projections, reveal, options)
  const locks = await openProjectionLocks(db)
  const loop = run.follow(locks)

  return {
    active: locks.held,
    async stop () {
      run.stopping = true
      run.buffer?.wake()
      await loop
    }
  }
}

class ProjectorRun {
  stopping = false
  buffer: EventBuffer | undefined
  /** Caught-up projections and their checkpoints as last committed here. */
  private readonly known = new Map<string, bigint>()
  private readonly retryAt = new Map<string, number>()
  private readonly batchSize: number
  private readonly retryMs: number

  constructor (
    private readonly store: EventStore,
    private readonly db: Kysely<Database>,
    private readonly projections: readonly Projection[],
    private readonly reveal: Reveal,
    private readonly options: ProjectorOptions
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
    this.retryMs = options.retryMs ?? 1000
  }

  async follow (locks: Awaited<ReturnType<typeof openProjectionLocks>>) {
    const names = this.projections.map((p) => p.name)
    let nextLockAttempt = 0
    let lastTaken = 0n
    try {
      while (!this.stopping) {
        if (Date.now() >= nextLockAttempt) {
          await locks.tryAcquire(names)
          nextLockAttempt = Date.now() + this.retryMs
        }
        if (this.buffer === undefined || this.buffer.ended) {
          lastTaken = await this.subscribe()
        }

        const active = this.projections.filter((p) => locks.held.has(p.name))
        for (const projection of active) {
          await this.catchUpIfBehind(projection, lastTaken)
        }

        const events = await this.buffer?.take(this.batchSize, this.retryMs)
        if (events === undefined || events.length === 0) continue
        for (const projection of active) {
          await this.applyLive(projection, events, lastTaken)
        }
        lastTaken = lastPosition(events)
      }
    } catch (error) {
      this.report(error)
    } finally {
      await this.buffer?.close()
      await locks.release()
    }
  }

  /** (Re)subscribes from the head; what came before is read by catch-up. */
  private async subscribe () {
    if (this.buffer?.failure !== undefined) this.report(this.buffer.failure)
    this.known.clear()
    const head = await this.store.headPosition()
    const subscription = this.store.subscribeAll({ afterPosition: head })
    this.buffer = bufferSubscription(subscription, this.batchSize * 2)

    return head
  }

  private async catchUpIfBehind (projection: Projection, until: bigint) {
    if (this.known.has(projection.name)) return
    if ((this.retryAt.get(projection.name) ?? 0) > Date.now()) return

    await this.guard(projection, async () => {
      const result = await catchUpProjection(this.store, this.db, projection,
        this.reveal, { checkpointName: projection.name }, {
          batchSize: this.batchSize,
          isStopping: () => this.stopping,
          until
        })
      if (!this.stopping) this.known.set(projection.name, result.checkpoint)
    })
  }

  /**
   * Commits the events the projection has not seen yet. They follow its
   * checkpoint directly only if the checkpoint is at or past the position
   * before this chunk; otherwise (or if someone else moved the checkpoint)
   * the log is read again through catch-up.
   */
  private async applyLive (
    projection: Projection,
    events: readonly RecordedEvent[],
    before: bigint
  ) {
    const checkpoint = this.known.get(projection.name)
    if (checkpoint === undefined) return

    const unseen = events.filter((event) => event.position > checkpoint)
    if (unseen.length === 0) return

    await this.guard(projection, async () => {
      const outcome = checkpoint < before
        ? 'stale'
        : await commitBatch(this.db, projection, this.reveal,
          { checkpointName: projection.name }, checkpoint, unseen)
      if (outcome === 'committed') {
        this.known.set(projection.name, lastPosition(unseen))
        return
      }
      this.known.delete(projection.name)
      await this.catchUpIfBehind(projection, lastPosition(events))
    })
  }

  /** A failing projection stops advancing and is retried later; the others
   * carry on. */
  private async guard (projection: Projection, step: () => Promise<void>) {
    try {
      await step()
      this.retryAt.delete(projection.name)
    } catch (error) {
      this.known.delete(projection.name)
      this.retryAt.set(projection.name, Date.now() + this.retryMs)
      this.report(error)
    }
  }

  private report (error: unknown) {
    this.options.onError?.(error)
  }
}
