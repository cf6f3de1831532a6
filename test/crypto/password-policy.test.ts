import t from 'tap'

import {
  describePasswordProblems,
  findPasswordProblems,
  isPasswordAcceptable,
  loadCommonPasswords
} from '../../src/crypto/password-policy.ts'

const owner = {
  email: 'emily.johnson@x.dummyjson.com',
  username: 'emilys',
  firstName: 'Emily',
  lastName: 'Johnson'
}

t.test('a long password with all four classes and nothing personal passes', async (t) => {
  const problems = findPasswordProblems('Correct-Horse-Battery-9', owner)

  t.same(problems, { missing: [], forbidden: [] })
  t.ok(isPasswordAcceptable(problems))
})

t.test('each missing class and the length are named', async (t) => {
  t.same(findPasswordProblems('Short-1a').missing,
    ['at least 12 characters'])
  t.same(findPasswordProblems('lowercase-only-and-1').missing,
    ['an upper-case letter'])
  t.same(findPasswordProblems('UPPERCASE-ONLY-AND-1').missing,
    ['a lower-case letter'])
  t.same(findPasswordProblems('No-Digits-Anywhere').missing, ['a digit'])
  t.same(findPasswordProblems('NoSpecials1234').missing,
    ['a special character'])
  t.same(findPasswordProblems('').missing, ['at least 12 characters',
    'an upper-case letter', 'a lower-case letter', 'a digit',
    'a special character'])
})

t.test('length counts characters, not UTF-16 units or bytes', async (t) => {
  // Eleven characters, two of them outside the BMP (two UTF-16 units each).
  t.equal('Ab1-😀😀wxyzq'.length, 13)
  t.same(findPasswordProblems('Ab1-😀😀wxyzq').missing,
    ['at least 12 characters'])
  t.same(findPasswordProblems('Ab1-😀😀wxyzq.').missing, [])
})

t.test('the maintained list holds tens of thousands of lower-case entries', async (t) => {
  const list = loadCommonPasswords()

  t.ok(list.size > 40_000, `${list.size} entries`)
  t.ok(list.has('password') && list.has('qwertyuiop123'))
  t.equal([...list].filter((p) => p !== p.toLowerCase()).length, 0)
  t.equal(loadCommonPasswords(), list, 'built once')
})

t.test('common passwords are refused in any case', async (t) => {
  // Both are list entries that meet every class rule once capitalised.
  for (const password of ['P030710p$e4o', 'p030710P$E4o', 'Nick1234-rem936']) {
    const problems = findPasswordProblems(password)
    t.same(problems.missing, [], password)
    t.same(problems.forbidden, ['a commonly used password'], password)
  }
})

t.test('personal parts are refused case-insensitively, short ones ignored', async (t) => {
  t.same(findPasswordProblems('My-EMILY.JOHNSON-9x', owner).forbidden,
    ['your email address', 'your first name', 'your last name'])
  t.same(findPasswordProblems('Zz-emilys-2024!', owner).forbidden,
    ['your username', 'your first name'])
  t.same(findPasswordProblems('Xx-JohnSon-77!!', owner).forbidden,
    ['your last name'])
  t.same(findPasswordProblems('Al-Bo-Xy-1234!', {
    email: 'al@example.com', username: 'bo', firstName: 'Al', lastName: 'Xy'
  }).forbidden, [], 'parts under three characters are ignored')
  // Full-width letters fold (NFKC) before comparing.
  t.same(findPasswordProblems('Ｅｍｉｌｙ-rocks-99', owner).forbidden,
    ['your first name'])
})

t.test('the message lists every problem and never the password', async (t) => {
  const password = 'emilysqq'
  const message = describePasswordProblems(
    findPasswordProblems(password, owner))

  t.equal(message, 'the password needs at least 12 characters, an ' +
    'upper-case letter, a digit, a special character; it may not be or ' +
    'contain your username, your first name')
  t.notMatch(message, /emilys/)
  t.equal(describePasswordProblems(findPasswordProblems('Nick1234-rem936')),
    'the password may not be or contain a commonly used password')
})
