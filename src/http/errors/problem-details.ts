/**
 * Every error leaves as RFC 9457 problem details
 * (application/problem+json): type, title, status, detail and the request's
 * correlation id. 4xx keep their message; 5xx say nothing of their cause,
 * which goes to the log instead (never a stack, SQL text or library message
 * to the client).
 */
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest
} from 'fastify'

import { DomainError, type ErrorCategory } from '../../commands/command-errors.ts'
import { recordAccessDenied } from '../auth/access-denied.ts'
import { noteRequestFailure } from '../log-controller.ts'
import { toFieldErrors, type FieldError } from './validation-errors.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
const PROBLEM_TYPE_BASE = 'https://cloudretail.dev/problems/'

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503
}

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly correlationId: string
  readonly errors?: readonly FieldError[]
}

export function registerProblemDetails (app: FastifyInstance) {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const problem = toProblem(error, request)
    // Logged once, on the request's completion line (log-controller.ts).
    noteRequestFailure(request, { code: problem.code, error })
    if (error instanceof DomainError && error.deniesAccess) {
      await recordAccessDenied(app, request, error).catch((cause: unknown) => {
        // The refusal stands even when it cannot be recorded.
        request.log.error({ err: cause }, 'could not record AccessDenied')
      })
    }

    return sendProblem(reply, problem)
  })

  app.setNotFoundHandler((request, reply) => {
    const code = 'CR_ERR_HTTP_ROUTE_NOT_FOUND'
    noteRequestFailure(request, { code })

    return sendProblem(reply, {
      type: `${PROBLEM_TYPE_BASE}not-found`,
      title: 'Not Found',
      status: 404,
      detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
      code,
      correlationId: request.correlationId
    })
  })
}

export function sendProblem (reply: FastifyReply, problem: Problem) {
  if (problem.status === 401) {
    reply.header('www-authenticate', 'Bearer realm="cloudretail"')
  }

  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem)
}

function toProblem (error: FastifyError, request: FastifyRequest): Problem {
  const correlationId = request.correlationId
  if (error instanceof DomainError) {
    const status = STATUS_BY_CATEGORY[error.category]

    return build(status, error.code, error.message, correlationId,
      error.field === undefined ? undefined : [
        { field: error.field, message: error.message }
      ])
  }

  if (error.validation !== undefined) {
    const errors = toFieldErrors(error.validation, error.validationContext)
    const detail = errors
      .map((fieldError) => `${fieldError.field}: ${fieldError.message}`)
      .join('; ')

    return build(400, 'CR_ERR_HTTP_VALIDATION', detail, correlationId, errors)
  }

  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return build(status, clientErrorCode(error), clientDetail(error, status),
      correlationId)
  }

  return build(500, 'CR_ERR_HTTP_INTERNAL',
    'the server could not complete the request', correlationId)
}

function build (
  status: number,
  code: string,
  detail: string,
  correlationId: string,
  errors?: readonly FieldError[]
): Problem {
  const title = TITLES[status] ?? 'Error'
  const slug = title.toLowerCase().replace(/[^a-z]+/g, '-')

  return {
    type: `${PROBLEM_TYPE_BASE}${slug}`,
    title,
    status,
    detail,
    code,
    correlationId,
    ...(errors === undefined ? {} : { errors })
  }
}

// Fastify's own 4xx errors (bad JSON, wrong media type, body too large)
// carry codes and messages that name no secret; keep the code, and replace a
// parser message, which can quote the body, with a fixed sentence.
function clientErrorCode (error: FastifyError) {
  return error.code?.startsWith('CR_ERR_') === true
    ? error.code
    : `CR_ERR_HTTP_${(error.code ?? 'BAD_REQUEST').replace(/^FST_ERR_/, '')}`
}

function clientDetail (error: FastifyError, status: number) {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'only application/json bodies are accepted'
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return 'the request body is too large'
  }
  // Also where a `__proto__` or `constructor.prototype` key is refused.
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return 'the request body is not acceptable JSON'
  }
  if (error.code?.startsWith('CR_ERR_') === true) return error.message

  return TITLES[status] === undefined
    ? 'the request was refused'
    : `the request was refused: ${TITLES[status]!.toLowerCase()}`
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable'
}
