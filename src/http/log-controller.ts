/**
 * Fastify's request logging, as one line per request written when the
 * response is done: method, URL (secret query values masked), route,
 * status, duration, and the correlation id as the field that ties a
 * request's lines together (the same id clients send and events carry).
 * 5xx are logged at error with the failure, 4xx and the rest at info; a
 * refusal's error code rides on the same line instead of a second one.
 */
import {
  LogController,
  type FastifyReply,
  type FastifyRequest
} from 'fastify'

import { isSecretKey, maskSecretsIn, REDACTED } from './log-redaction.ts'

interface Failure {
  readonly code: string
  readonly error?: unknown
}

const failures = new WeakMap<FastifyRequest, Failure>()
const MAX_LOGGED_URL = 1024

/** Records why a request failed, for its completion line. */
export function noteRequestFailure (request: FastifyRequest, failure: Failure) {
  failures.set(request, failure)
}

export class CorrelatedLogController extends LogController {
  constructor () {
    super({ requestIdLogLabel: 'correlationId' })
  }

  override incomingRequest () {
    // Nothing on arrival: the completion line says everything once.
  }

  override requestCompleted (
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply
  ) {
    const status = reply.statusCode
    const failure = failures.get(request)
    const cause = error ?? (status >= 500 ? failure?.error : undefined)
    const line = {
      method: request.method,
      url: toLoggedUrl(request.url),
      route: request.routeOptions.url ?? null,
      statusCode: status,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      ...(failure === undefined ? {} : { code: failure.code }),
      ...(cause === undefined || cause === null ? {} : { err: cause })
    }

    if (status >= 500 || (error !== undefined && error !== null)) {
      reply.log.error(line, 'request completed')
    } else {
      reply.log.info(line, 'request completed')
    }
  }
}

/** The path, and the query with the values of secret-named keys masked;
 * other values are masked by shape once decoded, so `%22` or `%2C` around
 * a card number does not hide it. */
export function toLoggedUrl (url: string): string {
  const mark = url.indexOf('?')
  const path = mark === -1 ? url : url.slice(0, mark)
  if (mark === -1) return maskSecretsIn(path).slice(0, MAX_LOGGED_URL)

  const query = new URLSearchParams(url.slice(mark + 1))
  const masked = [...query].map(([key, value]): [string, string] =>
    [key, isSecretKey(key, value) ? REDACTED : maskSecretsIn(value)])
  const text = `${path}?${new URLSearchParams(masked).toString()}`

  return maskSecretsIn(text).slice(0, MAX_LOGGED_URL)
}
