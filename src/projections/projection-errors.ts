/**
 * Errors of the read side. Messages name the projection and the event's
 * position and type, never its data: event data may hold personal fields.
 */
export class ProjectionApplyError extends Error {
  readonly code = 'CR_ERR_PROJECTION_APPLY'
  readonly projection: string
  readonly position: bigint

  constructor (projection: string, position: bigint, type: string,
    cause: unknown) {
    super(`projection ${projection} failed on ${type} at position ${position}`,
      { cause })
    this.projection = projection
    this.position = position
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'CR_ERR_PROJECTION_UNKNOWN'

  constructor (name: string) {
    super(`no projection is named ${JSON.stringify(name)}`)
  }
}

export class ProjectionBusyError extends Error {
  readonly code = 'CR_ERR_PROJECTION_BUSY'

  constructor (name: string, what: string) {
    super(`${what} of projection ${name} is already running elsewhere`)
  }
}

export class InvalidCursorError extends Error {
  readonly code = 'CR_ERR_QUERY_INVALID_CURSOR'

  constructor () {
    super('the page cursor is not one this service issued')
  }
}
