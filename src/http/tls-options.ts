/**
 * TLS for the Node server itself, when TLS_CERT_FILE and TLS_KEY_FILE are
 * set (otherwise TLS ends at the ingress or nginx in deploy/, which carry
 * the same policy): TLS 1.2 at least, and only forward-secret AES-GCM
 * suites. Node's default list would also offer RSA key exchange and CBC
 * suites with SHA-1 MACs under TLS 1.2 (SECURITY-TESTING, trap 6).
 */
import { readFileSync } from 'node:fs'
import type { SecureContextOptions, TlsOptions } from 'node:tls'

/** TLS 1.3 suites, then the TLS 1.2 ones: ECDHE key exchange, AES-GCM. */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256'
]

export interface TlsFiles {
  readonly certFile: string
  readonly keyFile: string
}

/** Server options for node:https, certificate and key read from disk. */
export function buildTlsOptions (files: TlsFiles): TlsOptions {
  const policy: SecureContextOptions = {
    minVersion: 'TLSv1.2',
    ciphers: TLS_CIPHERS.join(':'),
    honorCipherOrder: true
  }

  return {
    ...policy,
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile)
  }
}
