import t from 'tap'

import type { UserEvent } from '../../../src/commands/users/events.ts'
import {
  decideConfirmSetup,
  decideDisable,
  decideLogInWithSecondFactor,
  decideRegenerateBackupCodes,
  decideStartSetup
} from '../../../src/commands/users/two-factor/two-factor-decider.ts'
import {
  evolveUser,
  initialUserState
} from '../../../src/commands/users/user-decider.ts'
import {
  createTotpSecret,
  generateTotp,
  timeStepAt
} from '../../../src/crypto/totp.ts'
import { errorOf, eventsOf, given } from '../../helpers/decider-spec.ts'

const user = { initialState: initialUserState, evolve: evolveUser }
const SECRET = createTotpSecret()
const T0 = new Date('2025-03-04T05:06:05.000Z')
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000)
const HASHES = Array.from({ length: 10 }, (_, i) =>
  i.toString(16).padStart(64, '0'))
const CHALLENGE = 'ab'.repeat(32)

const registered: UserEvent = { type: 'UserRegistered', data: {
  userId: 'u-1', role: 'customer', email: 'grace@example.com',
  username: 'grace', firstName: 'Grace', lastName: 'Hopper', address: null,
  passwordHash: '$2b$12$hash', consent: { version: '1.0',
    grantedAt: T0.toISOString(), marketing: false, analytics: false,
    thirdParty: false } } }
const enabled: UserEvent[] = [
  registered,
  { type: 'TwoFactorSetupStarted', data: { userId: 'u-1', secret: SECRET } },
  { type: 'TwoFactorEnabled', data: { userId: 'u-1', timeStep: timeStepAt(T0) } },
  { type: 'BackupCodesGenerated', data: { userId: 'u-1', hashes: HASHES } }
]
const challenged: UserEvent[] = [...enabled, { type: 'TwoFactorChallengeIssued',
  data: { userId: 'u-1', challengeHash: CHALLENGE,
    expiresAt: at(300).toISOString() } }]

const totpLogin = (seconds: number, codeTime = seconds) =>
  (state: typeof initialUserState) => decideLogInWithSecondFactor(state, {
    challengeHash: CHALLENGE, at: at(seconds), tokenId: 'tok',
    proof: { method: 'totp', code: generateTotp(SECRET, at(codeTime)) }
  })

t.test('setup starts only for an active user without 2FA', async (t) => {
  t.same(eventsOf(given(user, [registered])
    .when((s) => decideStartSetup(s, SECRET))), [{
    type: 'TwoFactorSetupStarted', data: { userId: 'u-1', secret: SECRET } }])
  t.equal(errorOf(given(user, enabled).when((s) => decideStartSetup(s, SECRET)))
    .code, 'CR_ERR_2FA_ALREADY_ENABLED')
  t.equal(errorOf(given(user, []).when((s) => decideStartSetup(s, SECRET)))
    .code, 'CR_ERR_USER_NOT_FOUND')
})

t.test('confirmation enables with the code step spent and the backup hashes', async (t) => {
  const history = enabled.slice(0, 2)
  const events = eventsOf(given(user, history).when((s) =>
    decideConfirmSetup(s, { code: generateTotp(SECRET, T0), at: T0,
      backupCodeHashes: HASHES })))

  t.same(events.map((e) => e.type), ['TwoFactorEnabled',
    'BackupCodesGenerated'])
  const state = given(user, [...history, ...events]).state.twoFactor
  t.equal(state.enabled, true)
  t.equal(state.secret, SECRET)
  t.equal(state.lastTimeStep, timeStepAt(T0))
})

t.test('a login needs the open challenge, unexpired', async (t) => {
  t.same(eventsOf(given(user, challenged).when(totpLogin(30))).map((e) => e.type),
    ['TotpCodeAccepted', 'UserLoggedIn'])
  t.equal(errorOf(given(user, enabled).when(totpLogin(30))).code,
    'CR_ERR_2FA_CHALLENGE_INVALID', 'no challenge')
  t.equal(errorOf(given(user, challenged).when(totpLogin(301))).code,
    'CR_ERR_2FA_CHALLENGE_INVALID', 'expired')
})

t.test('a logged-in challenge and a spent step are gone', async (t) => {
  const events = eventsOf(given(user, challenged).when(totpLogin(30)))
  const after = [...challenged, ...events]

  t.equal(errorOf(given(user, after).when(totpLogin(31))).code,
    'CR_ERR_2FA_CHALLENGE_INVALID', 'challenge spent')
  const rechallenged = [...after, challenged.at(-1)!]
  t.same(eventsOf(given(user, rechallenged).when(totpLogin(40, 30)))
    .map((e) => e.type), ['TwoFactorCodeRejected'], 'code spent')
})

t.test('the confirming code cannot log in', async (t) => {
  t.same(eventsOf(given(user, challenged).when(totpLogin(0)))
    .map((e) => e.type), ['TwoFactorCodeRejected'])
})

t.test('a backup code is spent by index, once', async (t) => {
  const backup = (hash: string) => (state: typeof initialUserState) =>
    decideLogInWithSecondFactor(state, { challengeHash: CHALLENGE, at: at(30),
      tokenId: 'tok', proof: { method: 'backup_code', hash } })
  const events = eventsOf(given(user, challenged).when(backup(HASHES[4]!)))

  t.same(events[0], { type: 'BackupCodeUsed', data: { userId: 'u-1', index: 4 } })
  t.same(events[1]?.data, { userId: 'u-1', method: 'backup_code', tokenId: 'tok' })
  const again = [...challenged, ...events, challenged.at(-1)!]
  t.equal(eventsOf(given(user, again).when(backup(HASHES[4]!)))[0]?.type,
    'TwoFactorCodeRejected')
})

t.test('five rejections lock for 15 minutes, then it opens', async (t) => {
  const rejected: UserEvent = { type: 'TwoFactorCodeRejected',
    data: { userId: 'u-1', method: 'totp', at: at(10).toISOString() } }
  const history = [...challenged, ...Array(5).fill(rejected)]

  t.equal(errorOf(given(user, history).when(totpLogin(60))).code,
    'CR_ERR_2FA_LOCKED')
  const reopened = [...history, { ...challenged.at(-1)!, data: {
    userId: 'u-1', challengeHash: CHALLENGE,
    expiresAt: at(20 * 60).toISOString() } } as UserEvent]
  t.equal(eventsOf(given(user, reopened).when(totpLogin(15 * 60 + 11)))[0]?.type,
    'TotpCodeAccepted')
})

t.test('disabling resets the factor but keeps spent steps spent', async (t) => {
  const events = eventsOf(given(user, enabled).when((s) => decideDisable(s,
    { at: at(30), proof: { method: 'totp', code: generateTotp(SECRET, at(30)) } })))
  t.same(events.map((e) => e.type), ['TotpCodeAccepted', 'TwoFactorDisabled'])

  const state = given(user, [...enabled, ...events]).state.twoFactor
  t.equal(state.enabled, false)
  t.same(state.backupCodes, [])
  t.equal(state.lastTimeStep, timeStepAt(at(30)))
})

t.test('regenerating takes a TOTP code and replaces every hash', async (t) => {
  const fresh = HASHES.map((h) => h.replace(/^0/, 'f'))
  const events = eventsOf(given(user, enabled).when((s) =>
    decideRegenerateBackupCodes(s, { at: at(30), backupCodeHashes: fresh,
      proof: { method: 'totp', code: generateTotp(SECRET, at(30)) } })))

  t.same(given(user, [...enabled, ...events]).state.twoFactor.backupCodes,
    fresh)
  t.equal(errorOf(given(user, enabled).when((s) =>
    decideRegenerateBackupCodes(s, { at: at(30), backupCodeHashes: fresh,
      proof: { method: 'backup_code', hash: HASHES[0]! } }))).code,
  'CR_ERR_2FA_TOTP_REQUIRED')
})
