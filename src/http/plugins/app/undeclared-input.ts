/**
 * Input a route does not declare is refused, never ignored. Routes state
 * their params, query and body in TypeBox, and those schemas refuse unknown
 * properties; this plugin covers what a route leaves out: a route with no
 * query schema takes no query parameters (so `?_method=DELETE` or
 * `?role=admin` is a 400, not a silent no-op), and a route with no body
 * schema takes no body beyond an empty `{}`. GET and HEAD requests have no
 * body parsed at all, so one that comes with a body is refused by its
 * headers alone, before anything reads it.
 */
import type {
  FastifyInstance,
  FastifyRequest,
  RouteOptions
} from 'fastify'
import fp from 'fastify-plugin'
import Type from 'typebox'

import { invalid } from '../../../commands/command-errors.ts'

const NO_QUERY = Type.Object({}, { additionalProperties: false })

async function undeclaredInput (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const schema = route.schema ?? {}
    if (schema.querystring === undefined) {
      route.schema = { ...schema, querystring: NO_QUERY }
    }
    if (schema.body === undefined) {
      route.preValidation = [refuseBody, ...hooksOf(route.preValidation)]
    }
    if (isReadOnly(route.method)) {
      route.onRequest = [refuseSentBody, ...hooksOf(route.onRequest)]
    }
  })
}

function isReadOnly (method: RouteOptions['method']) {
  const methods = Array.isArray(method) ? method : [method]

  return methods.every((m) => m === 'GET' || m === 'HEAD')
}

async function refuseSentBody (request: FastifyRequest) {
  const length = request.headers['content-length']
  const sent = request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  if (!sent) return

  throw invalid('CR_ERR_HTTP_UNEXPECTED_BODY',
    `a ${request.method} request takes no body`, 'body')
}

async function refuseBody (request: FastifyRequest) {
  const body = request.body as unknown
  if (body === undefined || body === null) return
  const isObject = typeof body === 'object' && !Array.isArray(body)
  const keys = isObject ? Object.keys(body) : []
  if (isObject && keys.length === 0) return

  throw invalid('CR_ERR_HTTP_UNEXPECTED_BODY',
    'this route takes no request body', isObject ? `body.${keys[0]}` : 'body')
}

function hooksOf<Hook> (hooks: Hook | Hook[] | undefined): Hook[] {
  if (hooks === undefined) return []

  return Array.isArray(hooks) ? hooks : [hooks]
}

export default fp(undeclaredInput, { name: 'undeclared-input' })
