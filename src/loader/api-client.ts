/**
 * A small client for the CloudRetail HTTP API over fetch (the global one
 * unless another is given), as any outside program would use it. Answers
 * come back with their status; the caller decides which statuses are normal (a 409 for an order is, a 500
 * never is) and `expectStatus` turns the rest into a LoaderError.
 */
import { setTimeout as sleep } from 'node:timers/promises'

import { LoaderError } from './loader-error.ts'

export interface Problem {
  readonly status: number
  readonly code?: string
  readonly detail?: string
  readonly errors?: readonly { field: string, message: string }[]
}

export interface ApiAnswer {
  readonly status: number
  readonly body: unknown
}

export interface RequestOptions {
  readonly token?: string
  readonly body?: unknown
  /** Read-your-writes: the position a command of ours returned. */
  readonly minPosition?: string
}

// A rate limiter may answer 429; waiting as it asks is what a polite client
// does. Bounded, so a server that never relents still ends the load.
const RATE_LIMIT_ATTEMPTS = 20
const DEFAULT_RETRY_AFTER_MS = 1000

export class ApiClient {
  private readonly baseUrl: string
  private readonly send: typeof fetch

  constructor (baseUrl: string, send: typeof fetch = fetch) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
    this.send = send
  }

  async request (
    method: string,
    path: string,
    options: RequestOptions = {}
  ): Promise<ApiAnswer> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.send(`${this.baseUrl}${path}`, {
        method,
        headers: headersOf(options),
        body: options.body === undefined ? undefined : JSON.stringify(options.body)
      })
      const body = await readBody(response)
      if (response.status !== 429 || attempt >= RATE_LIMIT_ATTEMPTS) {
        return { status: response.status, body }
      }
      await sleep(retryAfterMs(response.headers.get('retry-after')))
    }
  }

  /** The body of an answer with the expected status, else a LoaderError. */
  async call<T> (
    method: string,
    path: string,
    expected: number,
    options: RequestOptions = {}
  ): Promise<T> {
    const answer = await this.request(method, path, options)

    return expectStatus<T>(answer, expected, `${method} ${path}`)
  }
}

export function expectStatus<T> (
  answer: ApiAnswer,
  expected: number,
  what: string
): T {
  if (answer.status === expected) return answer.body as T

  const problem = problemOf(answer)
  const detail = problem.detail === undefined ? '' : `: ${problem.detail}`
  throw new LoaderError('CR_ERR_LOADER_HTTP',
    `${what} answered ${answer.status}${detail}` +
    (problem.code === undefined ? '' : ` (${problem.code})`))
}

export function problemOf (answer: ApiAnswer): Problem {
  const body = answer.body
  if (typeof body !== 'object' || body === null) return { status: answer.status }

  return { ...(body as Partial<Problem>), status: answer.status }
}

/** Whether a refusal names this field (`body.password`, say). */
export function isFieldRefused (answer: ApiAnswer, field: string) {
  return answer.status === 400 &&
    (problemOf(answer).errors ?? []).some((error) => error.field === field)
}

function headersOf (options: RequestOptions) {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`
  }
  if (options.minPosition !== undefined) {
    headers['x-min-position'] = options.minPosition
  }

  return headers
}

async function readBody (response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function retryAfterMs (header: string | null) {
  const seconds = Number(header)

  return Number.isFinite(seconds) && seconds > 0
    ? Math.min(seconds, 60) * 1000
    : DEFAULT_RETRY_AFTER_MS
}
