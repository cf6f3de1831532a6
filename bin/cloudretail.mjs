#!/usr/bin/env node
// `cloudretail …` from an npm install or `npx cloudretail`: the TypeScript
// sources run through tsx's loader, the same way `npm start` runs them.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
