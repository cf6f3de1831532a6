import { readFile } from 'node:fs/promises'

import t from 'tap'

import type { DatasetUser } from '../../src/loader/dataset.ts'
import { derivePassword, toRegistration } from '../../src/loader/map-user.ts'
import { DATASET_DIR } from '../helpers/dataset.ts'

const DATASET = DATASET_DIR
const REGISTER_FIELDS = ['email', 'username', 'password', 'firstName',
  'lastName', 'address', 'gdprConsent']
const DROPPED = ['bank', 'ssn', 'ein', 'crypto', 'ip', 'macAddress',
  'userAgent', 'phone', 'company', 'birthDate', 'role']

const readUsers = async () => JSON.parse(
  await readFile(`${DATASET}/users.json`, 'utf8')) as DatasetUser[]

t.test('a registration carries only the fields the API takes', async (t) => {
  const users = await readUsers()

  for (const user of users) {
    const body = toRegistration(user, 'r1')
    t.strictSame(Object.keys(body).filter((k) => !REGISTER_FIELDS.includes(k)),
      [], `user ${user.id}`)
  }
  const sample = JSON.stringify(toRegistration(users[0]!, 'r1'))
  for (const field of DROPPED) t.notMatch(sample, `"${field}"`)
  const raw = users[0] as unknown as Record<string, any>
  t.notMatch(sample, raw.bank.cardNumber)
  t.notMatch(sample, raw.ssn)
  t.notMatch(sample, raw.ip)
})

t.test('the address is reshaped and coordinates are dropped', async (t) => {
  const body = toRegistration({
    id: 1,
    firstName: 'Emily',
    lastName: 'Johnson',
    email: 'emily.johnson@x.dummyjson.com',
    username: 'emilys',
    password: 'emilyspass',
    address: {
      address: '626 Main Street',
      city: 'Phoenix',
      state: 'Mississippi',
      postalCode: '29112',
      country: 'United States',
      coordinates: { lat: 1, lng: 2 },
      stateCode: 'MS'
    } as never
  }, 'abc123')

  t.strictSame(body, {
    email: 'emily.johnson+abc123@x.dummyjson.com',
    username: 'emilys_abc123',
    password: 'emilyspass',
    firstName: 'Emily',
    lastName: 'Johnson',
    address: {
      street: '626 Main Street',
      city: 'Phoenix',
      state: 'Mississippi',
      postalCode: '29112',
      country: 'United States'
    },
    gdprConsent: true
  })
})

t.test('a derived password is stable and meets a strict policy', async (t) => {
  const users = await readUsers()
  const passwords = users.map((user) => derivePassword(user.username))

  t.equal(derivePassword('emilys'), passwords[0])
  t.equal(new Set(passwords).size, users.length)
  for (const [i, password] of passwords.entries()) {
    const username = users[i]!.username
    t.ok(password.length >= 12 && /[A-Z]/.test(password) &&
      /[a-z]/.test(password) && /[0-9]/.test(password) &&
      /[^A-Za-z0-9]/.test(password), `policy for ${username}`)
    t.notOk(password.toLowerCase().includes(username.toLowerCase()),
      `no username in ${username}'s password`)
  }
})
