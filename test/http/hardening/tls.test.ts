/**
 * The Node server's own TLS, probed with an independent client (OpenSSL's
 * s_client). Every refused handshake is also offered to a permissive
 * control server, so a refusal proves our policy, not a client that never
 * tried.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { get } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:tls'
import { promisify } from 'node:util'

import t from 'tap'

import { buildTlsOptions, TLS_CIPHERS } from '../../../src/http/tls-options.ts'
import { buildTestApp } from '../../helpers/app.ts'

const run = promisify(execFile)
const REPO = new URL('../../../', import.meta.url).pathname

const hasOpenssl = await run('openssl', ['version']).then(() => true,
  () => false)
if (!hasOpenssl) {
  t.skip('TLS handshakes (openssl is not installed)', async () => {})
} else {
  await runSuite()
}

async function runSuite () {
  const folder = mkdtempSync(join(tmpdir(), 'cr-tls-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const files = {
    certFile: join(folder, 'cert.pem'),
    keyFile: join(folder, 'key.pem')
  }
  // A throwaway self-signed certificate, made now and never committed.
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes',
    '-keyout', files.keyFile, '-out', files.certFile, '-days', '1',
    '-subj', '/CN=localhost'])

  const test = await buildTestApp(t, { tls: buildTlsOptions(files) })
  await test.app.listen({ host: '127.0.0.1', port: 0 })
  const port = (test.app.server.address() as AddressInfo).port
  const control = await startPermissiveServer(files)
  t.teardown(() => control.close())
  const controlPort = (control.address() as AddressInfo).port

  t.test('TLS 1.2 and 1.3 handshakes succeed with AES-GCM suites', async (t) => {
    const tls12 = await handshake(port, ['-tls1_2'])
    t.ok(tls12.connected, tls12.output)
    t.match(tls12.output, /Protocol version: TLSv1\.2/)
    t.match(tls12.output, /Ciphersuite: ECDHE-RSA-AES(128|256)-GCM-SHA(256|384)/)

    const tls13 = await handshake(port, ['-tls1_3'])
    t.ok(tls13.connected, tls13.output)
    t.match(tls13.output, /Protocol version: TLSv1\.3/)
    t.match(tls13.output, /Ciphersuite: TLS_AES_(128|256)_GCM_SHA(256|384)/)
  })

  t.test('the API answers over TLS with HSTS', async (t) => {
    const answer = await new Promise<{ status?: number, hsts?: string }>(
      (resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/health/live',
          servername: 'localhost', ca: readFileSync(files.certFile) },
        (response) => {
          response.resume()
          resolve({ status: response.statusCode,
            hsts: response.headers['strict-transport-security'] })
        }).on('error', reject)
      })

    t.equal(answer.status, 200)
    t.match(answer.hsts, /max-age=31536000/)
  })

  const refused: [string, string[]][] = [
    ['TLS 1.0', ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']],
    ['TLS 1.1', ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']],
    ['RSA key exchange with AES-CBC (AES128-SHA)',
      ['-tls1_2', '-cipher', 'AES128-SHA@SECLEVEL=0']],
    ['RSA key exchange with AES-GCM (AES256-GCM-SHA384)',
      ['-tls1_2', '-cipher', 'AES256-GCM-SHA384']],
    ['ECDHE with CBC (ECDHE-RSA-AES128-SHA)',
      ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA@SECLEVEL=0']],
    ['ECDHE with CBC and SHA-256 (ECDHE-RSA-AES128-SHA256)',
      ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256']],
    ['ChaCha20 under TLS 1.2', ['-tls1_2', '-cipher',
      'ECDHE-RSA-CHACHA20-POLY1305']],
    ['ChaCha20 under TLS 1.3', ['-tls1_3', '-ciphersuites',
      'TLS_CHACHA20_POLY1305_SHA256']]
  ]

  for (const [name, args] of refused) {
    t.test(`${name} is refused`, async (t) => {
      const control = await handshake(controlPort, args)
      t.ok(control.connected, `the client does offer it: ${control.output}`)
      const ours = await handshake(port, args)
      t.notOk(ours.connected, ours.output)
    })
  }

  t.test('nginx and the ingress offer the same TLS 1.2 suites and protocols', async (t) => {
    const tls12 = TLS_CIPHERS.filter((name) => !name.startsWith('TLS_')).sort()
    const nginx = readFileSync(join(REPO, 'deploy/nginx/tls.conf'), 'utf8')
    const ingress = readFileSync(join(REPO, 'deploy/kubernetes/ingress.yaml'),
      'utf8')

    const nginxCiphers = /ssl_ciphers '([^']+)'/.exec(nginx)?.[1]
    const ingressCiphers = /ssl-ciphers: "([^"]+)"/.exec(ingress)?.[1]
    t.same(nginxCiphers?.split(':').sort(), tls12)
    t.same(ingressCiphers?.split(':').sort(), tls12)
    t.match(nginx, /ssl_protocols TLSv1\.2 TLSv1\.3;/)
    t.match(ingress, /ssl-protocols: "TLSv1\.2 TLSv1\.3"/)
    t.match(nginx, /ssl_prefer_server_ciphers on;/)

    const tls13 = TLS_CIPHERS.filter((name) => name.startsWith('TLS_')).sort()
    const suites = [...`${nginx}\n${ingress}`.matchAll(
      /ssl_conf_command Ciphersuites ([A-Z0-9_:]+);/g)]
    t.equal(suites.length, 2, 'both set the TLS 1.3 suites')
    for (const [, list] of suites) t.same(list!.split(':').sort(), tls13)
  })

  t.test('nginx and the ingress publish /api and /docs, not health or metrics', async (t) => {
    const nginx = readFileSync(join(REPO, 'deploy/nginx/tls.conf'), 'utf8')
    const ingress = readFileSync(join(REPO, 'deploy/kubernetes/ingress.yaml'),
      'utf8')

    const proxied = [...nginx.matchAll(/location (\S+) \{\s*proxy_pass/g)]
      .map((match) => match[1])
    t.same(proxied, ['/api/', '/docs'])
    t.match(nginx, /location \/ \{\s*return 404;/)
    const paths = [...ingress.matchAll(/- path: (\S+)/g)].map((m) => m[1])
    t.same(paths, ['/api', '/docs'])
  })
}

async function handshake (port: number, args: string[]) {
  const result = await run('openssl', ['s_client', '-connect',
    `127.0.0.1:${port}`, '-brief', ...args], { timeout: 10_000 })
    .then(({ stdout, stderr }) => stdout + stderr,
      (error: { stdout?: string, stderr?: string }) =>
        `${error.stdout ?? ''}${error.stderr ?? ''}`)

  return {
    connected: /CONNECTION ESTABLISHED/.test(result),
    output: result.slice(0, 600)
  }
}

async function startPermissiveServer (files: {
  certFile: string
  keyFile: string
}) {
  const server = createServer({
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    minVersion: 'TLSv1',
    ciphers: 'ALL:@SECLEVEL=0:TLS_CHACHA20_POLY1305_SHA256:' +
      'TLS_AES_128_GCM_SHA256'
  }, (socket) => socket.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  return server
}
