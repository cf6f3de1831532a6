import t from 'tap'

import type { UserEvent } from '../../../src/commands/users/events.ts'
import {
  decideChangeRole,
  decideErase,
  decideRegister,
  evolveUser,
  initialUserState,
  type RegisterUser
} from '../../../src/commands/users/user-decider.ts'
import { errorOf, eventsOf, given } from '../../helpers/decider-spec.ts'

const user = { initialState: initialUserState, evolve: evolveUser }
const AT = '2025-01-02T03:04:05.000Z'

const registration: RegisterUser = {
  userId: 'u-1',
  role: 'customer',
  email: 'grace@example.com',
  username: 'grace',
  firstName: 'Grace',
  lastName: 'Hopper',
  address: null,
  passwordHash: '$2b$12$hash',
  consent: { version: '1.0', grantedAt: AT, marketing: false,
    analytics: false, thirdParty: false }
}

const registered: UserEvent = { type: 'UserRegistered', data: registration }
const erased: UserEvent = {
  type: 'UserErased',
  data: { userId: 'u-1', erasedAt: AT }
}

t.test('a user registers once; registering the id again is a conflict', async (t) => {
  t.same(eventsOf(given(user, []).when((s) => decideRegister(s, registration))),
    [registered])

  const again = given(user, [registered])
    .when((s) => decideRegister(s, registration))
  t.equal(errorOf(again).category, 'conflict')
})

t.test('a role change records both roles', async (t) => {
  const outcome = given(user, [registered])
    .when((s) => decideChangeRole(s, 'vendor'))

  t.same(eventsOf(outcome), [{
    type: 'UserRoleChanged',
    data: { userId: 'u-1', from: 'customer', to: 'vendor' }
  }])
  t.equal(given(user, [registered, ...eventsOf(outcome)]).state.role, 'vendor')
})

t.test('changing to the role already held appends nothing', async (t) => {
  const outcome = given(user, [registered])
    .when((s) => decideChangeRole(s, 'customer'))

  t.same(eventsOf(outcome), [])
})

t.test('erasure records an event with no personal data', async (t) => {
  const outcome = given(user, [registered])
    .when((s) => decideErase(s, AT))

  t.same(eventsOf(outcome), [erased])
  t.same(Object.keys(eventsOf(outcome)[0]!.data).sort(), ['erasedAt', 'userId'])
})

t.test('an erased user forgets email and password hash', async (t) => {
  const { state } = given(user, [registered, erased])

  t.equal(state.erased, true)
  t.equal(state.email, null)
  t.equal(state.passwordHash, null)
})

t.test('an erased user cannot be erased again or change role', async (t) => {
  const twice = given(user, [registered, erased]).when((s) => decideErase(s, AT))
  t.equal(errorOf(twice).category, 'not_found')

  const role = given(user, [registered, erased])
    .when((s) => decideChangeRole(s, 'admin'))
  t.equal(errorOf(role).category, 'not_found')
})

t.test('a user who never registered cannot be changed', async (t) => {
  const outcome = given(user, []).when((s) => decideChangeRole(s, 'vendor'))

  t.equal(errorOf(outcome).category, 'not_found')
})
