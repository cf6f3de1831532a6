/**
 * Reads a password from standard input, never from an argument (arguments
 * show up in `ps` and shell history). Piped input is read to its first
 * line; at a terminal the typed characters are not echoed.
 */
import { stdin, stderr } from 'node:process'

export async function readSecretInput (prompt: string): Promise<string> {
  const secret = stdin.isTTY ? await readHidden(prompt) : await readPiped()
  if (secret === '') throw new Error('no password was given on standard input')

  return secret
}

async function readPiped () {
  let text = ''
  for await (const chunk of stdin) text += String(chunk)

  return text.split(/\r?\n/)[0] ?? ''
}

function readHidden (prompt: string) {
  stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')

  return new Promise<string>((resolve, reject) => {
    let typed = ''
    const onData = (key: string) => {
      if (key === '\u0003') {
        finish()
        reject(new Error('interrupted'))
      } else if (key === '\r' || key === '\n') {
        finish()
        resolve(typed)
      } else if (key === '\u007f') {
        typed = typed.slice(0, -1)
      } else {
        typed += key
      }
    }
    const finish = () => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      stderr.write('\n')
    }
    stdin.on('data', onData)
  })
}
