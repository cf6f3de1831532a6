/**
 * Load, decide, append, with optimistic concurrency: the stream is folded
 * into state, the decision is appended with the revision it was based on,
 * and if someone else appended first the whole step is decided again on the
 * fresh history, a bounded number of times.
 */
import type { RecordedEvent } from '../eventstore/event-store.ts'
import { WrongExpectedRevisionError } from '../eventstore/errors.ts'
import { appendEvents, type DomainEvent } from './append-events.ts'
import { DomainError } from './command-errors.ts'
import type { CommandContext, CommandServices } from './command-context.ts'
import { withStreamLock } from './stream-lock.ts'

export interface CommandSpec<State, Event extends DomainEvent> {
  readonly stream: string
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (state: State) => Event[]
  /** Decrypt personal fields before evolving (only deciders that need
   * them, such as login, pay for it). */
  readonly reveal?: boolean
  readonly clientSubject?: string
  /** Attempts in all; 1 means a conflict is reported at once. */
  readonly attempts?: number
}

export interface CommandOutcome<State, Event> {
  readonly state: State
  readonly events: readonly Event[]
  /** Global position of the last event appended, or of the stream's last
   * event when the decision appended nothing. */
  readonly position: bigint
}

export const DEFAULT_ATTEMPTS = 5

export async function handleCommand<State, Event extends DomainEvent> (
  services: CommandServices,
  context: CommandContext,
  spec: CommandSpec<State, Event>
): Promise<CommandOutcome<State, Event>> {
  const attempts = spec.attempts ?? DEFAULT_ATTEMPTS
  for (let attempt = 1; ; attempt++) {
    try {
      return await withStreamLock(spec.stream,
        () => decideAndAppend(services, context, spec))
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= attempts) {
        throw toConflict(error)
      }
      await pause(attempt)
    }
  }
}

export async function loadState<State, Event extends DomainEvent> (
  services: CommandServices,
  spec: Pick<CommandSpec<State, Event>,
    'stream' | 'initialState' | 'evolve' | 'reveal'>
) {
  const history = await services.store.readStream(spec.stream)
  let state = spec.initialState
  for (const recorded of history) {
    const event = spec.reveal === true
      ? await services.codec.reveal(recorded)
      : recorded
    state = spec.evolve(state, event as unknown as Event)
  }

  return { state, last: history.at(-1) }
}

async function decideAndAppend<State, Event extends DomainEvent> (
  services: CommandServices,
  context: CommandContext,
  spec: CommandSpec<State, Event>
): Promise<CommandOutcome<State, Event>> {
  const { state, last } = await loadState(services, spec)
  const events = spec.decide(state)
  if (events.length === 0) {
    return { state, events, position: last?.position ?? 0n }
  }

  const result = await appendEvents(services, context, {
    stream: spec.stream,
    events,
    expected: expectedAfter(last),
    previousHash: last?.metadata.hash ?? '',
    clientSubject: spec.clientSubject
  })
  const next = events.reduce(spec.evolve, state)

  return { state: next, events, position: result.position }
}

function expectedAfter (last: RecordedEvent | undefined) {
  return last === undefined ? 'no_stream' as const : last.revision
}

function toConflict (error: unknown) {
  if (error instanceof WrongExpectedRevisionError) {
    return new DomainError('conflict', 'CR_ERR_COMMAND_CONCURRENT_CHANGE',
      'the resource changed while this request was being decided; retry')
  }

  return error
}

// Jittered back-off so retrying writers on one hot stream spread out.
function pause (attempt: number) {
  const ms = Math.random() * 5 * 2 ** Math.min(attempt, 6)

  return new Promise((resolve) => setTimeout(resolve, ms))
}
