/**
 * Two-factor test kit: a movable clock behind the app's services.now, TOTP
 * codes for any moment, an independent code generator (oathtool, when the
 * machine has it), and a user with two-factor login on.
 */
import { execFileSync } from 'node:child_process'

import type { LightMyRequestResponse } from 'fastify'

import { generateTotp, TOTP_PERIOD_SECONDS } from '../../src/crypto/totp.ts'
import type { SignedIn, TestApp } from './app.ts'

export interface FakeClock {
  now (): Date
  set (at: Date): void
  advance (seconds: number): void
}

/** Replaces the app's clock (the command services are shared with the
 * app) with one that moves only when told. It starts 5 s into the current
 * 30 s step, near real time, so session tokens stay valid. */
export function useFakeClock (test: TestApp): FakeClock {
  let at = startOfStep(new Date(), 5)
  Object.assign(test.services, { now: () => new Date(at.getTime()) })

  return {
    now: () => new Date(at.getTime()),
    set: (next) => { at = new Date(next.getTime()) },
    advance: (seconds) => { at = new Date(at.getTime() + seconds * 1000) }
  }
}

/** `offset` seconds into the step that holds `at`. */
export function startOfStep (at: Date, offset = 0) {
  const period = TOTP_PERIOD_SECONDS * 1000

  return new Date(Math.floor(at.getTime() / period) * period + offset * 1000)
}

export function codeAt (secret: string, at: Date) {
  return generateTotp(secret, at)
}

/** oathtool's code for the secret at a moment; undefined without oathtool. */
export function oathtoolCode (secret: string, at: Date): string | undefined {
  try {
    return execFileSync('oathtool', ['--totp', '-b',
      '--now', `@${Math.floor(at.getTime() / 1000)}`, secret],
    { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

export function hasOathtool () {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface TwoFactorUser extends SignedIn {
  readonly secret: string
  readonly backupCodes: readonly string[]
}

/** Sets up and confirms two-factor login for a signed-in user, with a code
 * for the clock's current time (whose step is then spent). */
export async function enableTwoFactor (
  test: TestApp,
  clock: FakeClock,
  user: SignedIn
): Promise<TwoFactorUser> {
  const setup = expect(await test.app.inject({
    method: 'POST', url: '/api/users/me/2fa/setup', headers: user.auth
  }), 200)
  const secret = setup.json().secret as string
  const confirm = expect(await test.app.inject({
    method: 'POST', url: '/api/users/me/2fa/confirm', headers: user.auth,
    payload: { code: codeAt(secret, clock.now()) }
  }), 200)

  return { ...user, secret, backupCodes: confirm.json().backupCodes }
}

/** The password step: the challenge for a user with two-factor login on. */
export async function passwordStep (test: TestApp, user: SignedIn) {
  const response = expect(await test.app.inject({
    method: 'POST', url: '/api/users/login',
    payload: { email: user.email, password: user.password }
  }), 200)

  return response.json().challenge as string
}

export function secondStep (
  test: TestApp,
  payload: { challenge: string, code?: string, backupCode?: string }
) {
  return test.app.inject({ method: 'POST', url: '/api/users/login/2fa',
    payload })
}

function expect (response: LightMyRequestResponse, status: number) {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ` +
      response.body)
  }

  return response
}
