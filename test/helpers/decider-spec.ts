/**
 * Given/when/then for pure deciders: fold the given events into state with
 * the decider's evolve, run one decision on that state, and hand back what
 * it decided (or the error it threw), with no database anywhere.
 */
import { DomainError } from '../../src/commands/command-errors.ts'

export interface Decider<State, Event> {
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
}

export type Outcome<Event> =
  | { readonly events: Event[] }
  | { readonly error: DomainError }

export function given<State, Event> (
  decider: Decider<State, Event>,
  history: readonly NoInfer<Event>[]
) {
  const state = history.reduce(decider.evolve, decider.initialState)

  return {
    state,
    when (decide: (state: State) => Event[]): Outcome<Event> {
      try {
        return { events: decide(state) }
      } catch (error) {
        if (error instanceof DomainError) return { error }
        throw error
      }
    }
  }
}

/** The events of an outcome; throws if the decision was refused. */
export function eventsOf<Event> (outcome: Outcome<Event>): Event[] {
  if ('error' in outcome) {
    throw new Error(`decision refused: ${outcome.error.code}`)
  }

  return outcome.events
}

/** The refusal of an outcome; throws if events were decided. */
export function errorOf<Event> (outcome: Outcome<Event>): DomainError {
  if ('events' in outcome) {
    throw new Error(`decision accepted: ${JSON.stringify(outcome.events)}`)
  }

  return outcome.error
}
