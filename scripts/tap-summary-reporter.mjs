// tap reporter: passes the raw TAP through unchanged and closes with the
// plain "N passed, N failed" line that CI reads (skips, if any, are named on
// the line before it so the last line stays exactly that shape). tap 21 accepts a
// module whose default export is a Transform stream class as its reporter.
import { Transform } from 'node:stream'

const SUMMARY = /^# \{ total: \d+[^}]*\}/m

export default class TapSummaryReporter extends Transform {
  #tail = ''

  _transform (chunk, _encoding, callback) {
    const text = chunk.toString()
    this.#tail = (this.#tail + text).slice(-4096)
    callback(null, text)
  }

  _flush (callback) {
    const match = SUMMARY.exec(this.#tail)
    if (match === null) {
      callback(null, '\n0 passed, 1 failed\n')
      return
    }

    const pass = countOf(match[0], 'pass')
    const fail = countOf(match[0], 'fail')
    const skip = countOf(match[0], 'skip')
    const skipped = skip > 0 ? `\n${skip} skipped (see the "# SKIP" lines above for why)` : ''
    callback(null, `${skipped}\n${pass} passed, ${fail} failed\n`)
  }
}

// tap leaves out counters that are zero, so each one is looked up by name.
function countOf (summary, name) {
  const found = new RegExp(`\\b${name}: (\\d+)`).exec(summary)

  return found === null ? 0 : Number(found[1])
}
