/**
 * The only body parser: application/json, strictly. Bytes that are not
 * valid UTF-8 are refused (Node would decode them to U+FFFD and let a
 * mangled string reach an event), and `__proto__` or `constructor.prototype`
 * keys are refused rather than stripped, so a prototype-pollution attempt is
 * a visible 400. A `\ud800`-style escape that leaves half of a surrogate
 * pair is refused too: it is valid JSON but no text, and PostgreSQL's json
 * type refuses it, so it would otherwise fail the append with a 500. Every
 * other media type has no parser and is answered 415.
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

      void parseJson(request, bytes.toString('utf8'), (error, value) => {
        const broken = error === null || error === undefined
          ? firstLoneSurrogate(value)
          : undefined
        if (broken !== undefined) {
          done(invalid('CR_ERR_HTTP_LONE_SURROGATE', 'the request body holds ' +
            'half of a UTF-16 surrogate pair, which is no text', broken), undefined)

          return
        }
        done(error, value)
      })
    })
}

// In a u-mode pattern a whole pair is one code point: only halves match.
const LONE_SURROGATE = /\p{Surrogate}/u

/** The path of the first key or string holding a lone surrogate. Walked
 * with a stack of its own: a body may nest deeper than the call stack. */
function firstLoneSurrogate (value: unknown): string | undefined {
  const pending: [unknown, string][] = [[value, 'body']]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, path] = next
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return path
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (LONE_SURROGATE.test(key)) return path
        pending.push([child, `${path}.${key}`])
      }
    }
  }

  return undefined
}

export default fp(jsonBody, { name: 'json-body' })
