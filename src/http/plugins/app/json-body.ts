/**
 * The only body parser: application/json, strictly. Bytes that are not
 * valid UTF-8 are refused (Node would decode them to U+FFFD and let a
 * mangled string reach an event), and `__proto__` or `constructor.prototype`
 * keys are refused rather than stripped, so a prototype-pollution attempt is
 * a visible 400. Every other media type has no parser and is answered 415.
 */
import { isUtf8 } from 'node:buffer'

import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import { invalid } from '../../../commands/command-errors.ts'

async function jsonBody (app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error')

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' },
    (request, body, done) => {
      const bytes = body as Buffer
      if (!isUtf8(bytes)) {
        done(invalid('CR_ERR_HTTP_INVALID_UTF8',
          'the request body is not valid UTF-8'), undefined)

        return
      }

      void parseJson(request, bytes.toString('utf8'), done)
    })
}

export default fp(jsonBody, { name: 'json-body' })
