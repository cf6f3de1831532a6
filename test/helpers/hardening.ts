/**
 * Shared checks for the hardening tests: what a problem answer must look
 * like and what must never appear in one, and a pino stream captured in
 * memory.
 */
import { Writable } from 'node:stream'

import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'

export const PROBLEM = /^application\/problem\+json/

// Words that would mean an internal leaked into a client's answer.
export const LEAKS = /stack|node_modules|\.ts:\d|FST_ERR|select |insert into|drop table|union select|syntaxerror|unexpected token|ajv|fastify|postgres|pglite|kysely|typebox|secure-json|\bat [A-Za-z.<>]+ \(/i

/** The answer is a problem+json of this status, with every field, and
 * nothing internal in it. */
export function assertProblem (
  t: Test,
  response: LightMyRequestResponse,
  status: number
) {
  t.equal(response.statusCode, status, `status ${status}: ${response.body}`)
  t.match(response.headers['content-type'], PROBLEM)
  t.match(response.json(), {
    type: String,
    title: String,
    status,
    detail: String,
    correlationId: String
  })
  t.notMatch(response.body, LEAKS, 'no internals in the body')
}

/** A 400 problem whose field errors name this field. */
export function assertFieldProblem (
  t: Test,
  response: LightMyRequestResponse,
  field: string
) {
  t.equal(response.statusCode, 400, response.body)
  t.match(response.headers['content-type'], PROBLEM)
  t.ok(response.json().errors?.some(
    (e: { field: string }) => e.field === field), `names ${field}`)
}

/** A pino destination that keeps every line in memory. */
export class CapturedLog extends Writable {
  readonly chunks: string[] = []

  override _write (chunk: Buffer, _encoding: string, callback: () => void) {
    this.chunks.push(chunk.toString('utf8'))
    callback()
  }

  get text () {
    return this.chunks.join('')
  }

  lines (): Record<string, unknown>[] {
    return this.text.split('\n').filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  }

  clear () {
    this.chunks.length = 0
  }
}
