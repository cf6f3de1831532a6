import t from 'tap'

import {
  buildOtpauthUri,
  createTotpSecret,
  generateTotp,
  matchTotp,
  timeStepAt
} from '../../src/crypto/totp.ts'
import { hasOathtool, oathtoolCode } from '../helpers/two-factor.ts'

// RFC 6238 Appendix B, SHA-1: the 20-byte ASCII seed "1234567890" twice,
// in Base32. The RFC prints 8 digits; 6-digit codes are their last six.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130']
]

const at = (seconds: number) => new Date(seconds * 1000)

t.test('codes match the SHA-1 vectors of RFC 6238', async (t) => {
  for (const [seconds, eightDigits] of RFC_VECTORS) {
    t.equal(generateTotp(RFC_SECRET, at(seconds)), eightDigits.slice(2),
      `T = ${seconds}`)
  }
})

t.test('a secret is 160 random bits in Base32', async (t) => {
  const secrets = new Set(Array.from({ length: 20 }, createTotpSecret))

  t.equal(secrets.size, 20)
  for (const secret of secrets) t.match(secret, /^[A-Z2-7]{32}$/)
})

t.test('a code matches its own step and one step either side, not two', async (t) => {
  const secret = createTotpSecret()
  const issued = at(1_700_000_010)
  const code = generateTotp(secret, issued)
  const step = timeStepAt(issued)

  t.equal(matchTotp(secret, code, issued), step)
  t.equal(matchTotp(secret, code, at(1_700_000_010 + 30)), step, '30 s late')
  t.equal(matchTotp(secret, code, at(1_700_000_010 - 30)), step, '30 s early')
  t.equal(matchTotp(secret, code, at(1_700_000_010 + 60)), null, '60 s late')
  t.equal(matchTotp(secret, code, at(1_700_000_010 - 60)), null, '60 s early')
})

t.test('a code at or before the last spent step no longer matches', async (t) => {
  const secret = createTotpSecret()
  const issued = at(1_700_000_010)
  const code = generateTotp(secret, issued)
  const step = timeStepAt(issued)

  t.equal(matchTotp(secret, code, issued, step - 1), step)
  t.equal(matchTotp(secret, code, issued, step), null, 'spent')
  t.equal(matchTotp(secret, code, issued, step + 1), null, 'later one spent')
})

t.test('malformed codes and secrets match nothing instead of throwing', async (t) => {
  const secret = createTotpSecret()
  const now = new Date()

  for (const code of ['', '12345', '1234567', 'abcdef', '12 456']) {
    t.equal(matchTotp(secret, code, now), null, JSON.stringify(code))
  }
  t.equal(matchTotp('AAAA', '123456', now), null, 'secret too short')
})

t.test('the otpauth URI names issuer, account and RFC 6238 defaults', async (t) => {
  const uri = new URL(buildOtpauthUri(RFC_SECRET, 'CloudRetail',
    'ada+shop@example.com'))

  t.equal(uri.protocol, 'otpauth:')
  t.equal(uri.host, 'totp')
  t.equal(decodeURIComponent(uri.pathname),
    '/CloudRetail:ada+shop@example.com')
  t.equal(uri.searchParams.get('secret'), RFC_SECRET)
  t.equal(uri.searchParams.get('issuer'), 'CloudRetail')
  // Absent parameters mean exactly these defaults to authenticator apps.
  const defaults: [string, string][] = [['algorithm', 'SHA1'],
    ['digits', '6'], ['period', '30']]
  for (const [name, value] of defaults) {
    t.equal(uri.searchParams.get(name) ?? value, value, name)
  }
})

t.test('oathtool computes the same codes for the same secret and time',
  { skip: hasOathtool() ? false : 'oathtool is not installed' },
  async (t) => {
    t.equal(oathtoolCode(RFC_SECRET, at(59)), '287082', 'RFC vector')
    for (let i = 0; i < 10; i++) {
      const secret = createTotpSecret()
      const moment = at(1_600_000_000 + i * 7_777_777)

      t.equal(generateTotp(secret, moment), oathtoolCode(secret, moment))
    }
  })
