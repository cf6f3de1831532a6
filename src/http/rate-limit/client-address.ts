/**
 * The client address rate limits key on: Fastify's request.ip, which reads
 * X-Forwarded-For only when the peer is one of the configured trusted
 * proxies (TRUSTED_PROXIES), and then only up to the first untrusted hop.
 * So a forged header from anyone else changes nothing here.
 */
import { BlockList, isIP } from 'node:net'

import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyRequest } from 'fastify'

// One IPv6 customer usually holds a whole /64: keying on single addresses
// would hand them 2^64 budgets.
const IPV6_SUBNET_BITS = 64

/** IPv4-mapped IPv6 reads as IPv4; IPv6 is reduced to its /64. */
export function clientAddressOf (request: FastifyRequest) {
  return normalizeIP(request.ip, IPV6_SUBNET_BITS)
}

/**
 * The addresses an operator exempts (RATE_LIMIT_EXEMPT_IPS): single
 * addresses or CIDR ranges. Anything else throws, so a typo stops the
 * start-up instead of exempting nothing or everything.
 */
export function buildExemptList (entries: readonly string[]) {
  const list = new BlockList()
  for (const entry of entries) addEntry(list, entry)

  return (request: FastifyRequest) => {
    if (entries.length === 0) return false

    const address = normalizeIP(request.ip, 128)
    const family = isIP(address)

    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6')
  }
}

function addEntry (list: BlockList, entry: string) {
  const [address = '', prefix, extra] = entry.trim().split('/')
  const family = isIP(address)
  const bits = prefix === undefined ? undefined : Number(prefix)
  const maxBits = family === 4 ? 32 : 128
  if (family === 0 || extra !== undefined || (bits !== undefined &&
    (!Number.isInteger(bits) || bits < 0 || bits > maxBits || prefix === ''))) {
    throw new Error(
      `RATE_LIMIT_EXEMPT_IPS: '${entry}' is not an IP address or CIDR range`)
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'

  if (bits === undefined) list.addAddress(address, type)
  else list.addSubnet(address, bits, type)
}
