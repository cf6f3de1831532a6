/**
 * ALLOWED_HOSTS: when set, a request whose Host header names anything else
 * is refused with 400 before it reaches a route, so a forged Host can never
 * steer a response (DNS rebinding, poisoned caches, links built from Host).
 * The raw Host header is checked, not X-Forwarded-Host: the proxies in
 * deploy/ pass the client's Host through unchanged. The probes under
 * /health/ stay reachable by address, since Kubernetes sends the pod's IP
 * as Host; they reveal nothing.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

import { invalid } from '../../../commands/command-errors.ts'

export interface HostAllowListOptions {
  /** Host names (without port), compared case-insensitively. */
  readonly allowedHosts: readonly string[]
}

const PROBE_PREFIX = '/health/'

/** The host name of a Host header, lower case, port dropped; undefined when
 * the header is missing or malformed. */
export function toHostName (header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined

  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header)

  return match?.[1]?.toLowerCase()
}

async function hostAllowList (
  app: FastifyInstance,
  options: HostAllowListOptions
) {
  const allowed = new Set(options.allowedHosts.map((host) => host.toLowerCase()))
  if (allowed.size === 0) return

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith(PROBE_PREFIX)) return

    const host = toHostName(request.headers.host)
    if (host === undefined || !allowed.has(host)) {
      throw invalid('CR_ERR_HTTP_HOST_NOT_ALLOWED',
        'the Host header names no host this service answers for')
    }
  })
}

export default fp(hostAllowList, { name: 'host-allow-list' })
