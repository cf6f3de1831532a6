/**
 * Fastify's request logging, with the correlation id as the field that ties
 * a request's lines together (the same id clients send and events carry).
 */
import { LogController } from 'fastify'

export class CorrelatedLogController extends LogController {
  constructor () {
    super({ requestIdLogLabel: 'correlationId' })
  }
}
