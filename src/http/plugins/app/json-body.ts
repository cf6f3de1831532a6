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

      const text = bytes.toString('utf8')
      void parseJson(request, text, (error, value) => {
        const broken = error === null && SURROGATE_ESCAPE.test(text)
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

// Valid UTF-8 cannot carry a surrogate, so only an escape can make one:
// bodies without such an escape are not walked at all.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
// In a u-mode pattern a whole pair is one code point: only halves match.
const LONE_SURROGATE = /\p{Surrogate}/u

interface Visit {
  readonly value: unknown
  readonly parent?: Visit
  readonly key?: string
}

/** The path of the first key or string holding a lone surrogate. Walked
 * with a stack of its own, since a body may nest deeper than the call
 * stack; each visit names only its own key, and the path is put together
 * once, for the one that is reported. */
function firstLoneSurrogate (body: unknown): string | undefined {
  const pending: Visit[] = [{ value: body }]
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    const { value } = visit
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return pathOf(visit)
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) return pathOf(visit)
        pending.push({ value: child, parent: visit, key })
      }
    }
  }

  return undefined
}

function pathOf (visit: Visit) {
  const keys: string[] = []
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) {
    keys.push(at.key)
  }

  return ['body', ...keys.reverse()].join('.')
}

export default fp(jsonBody, { name: 'json-body' })
