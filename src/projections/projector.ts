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
import {
  openProjectionLocks,
  type ProjectionLocks
} from './projection-lock.ts'
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
  await run.openLocks()
  const loop = run.follow()

  return {
    get active () { return run.active },
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
  private locks: ProjectionLocks | undefined
  /** Caught-up projections and their checkpoints as last committed here. */
  private readonly known = new Map<string, bigint>()
  private readonly retryAt = new Map<string, number>()
  private readonly batchSize: number
  private readonly retryMs: number
  private nextLockAttempt = 0
  private lastTaken = 0n

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

  get active (): ReadonlySet<string> {
    return this.locks?.held ?? new Set()
  }

  async openLocks () {
    this.locks = await openProjectionLocks(this.db)
    this.nextLockAttempt = 0

    return this.locks
  }

  /** Runs until stopped. A failed step is reported and retried after
   * retryMs: the projector outlives a database or store outage. */
  async follow () {
    while (!this.stopping) {
      try {
        await this.step()
      } catch (error) {
        this.report(error)
        await this.recover()
      }
    }
    await this.buffer?.close().catch((error: unknown) => this.report(error))
    await this.locks?.release().catch((error: unknown) => this.report(error))
  }

  private async step () {
    const locks = this.locks ?? await this.openLocks()
    if (Date.now() >= this.nextLockAttempt) {
      await locks.tryAcquire(this.projections.map((p) => p.name))
      this.nextLockAttempt = Date.now() + this.retryMs
    }
    if (this.buffer === undefined || this.buffer.ended) {
      this.lastTaken = await this.subscribe()
    }

    const active = this.projections.filter((p) => locks.held.has(p.name))
    for (const projection of active) {
      await this.catchUpIfBehind(projection, this.lastTaken)
    }

    const events = await this.buffer?.take(this.batchSize, this.retryMs)
    if (events === undefined || events.length === 0) return
    for (const projection of active) {
      await this.applyLive(projection, events, this.lastTaken)
    }
    this.lastTaken = lastPosition(events)
  }

  /** Starts over from the stored checkpoints, with a fresh lock session
   * and subscription, since either may be what broke. */
  private async recover () {
    this.known.clear()
    const locks = this.locks
    this.locks = undefined
    await locks?.release().catch(() => undefined)
    await this.buffer?.close().catch(() => undefined)
    this.buffer = undefined
    if (!this.stopping) await sleep(this.retryMs)
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

function sleep (ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
