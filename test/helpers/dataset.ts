/**
 * Where the public DummyJSON data set lives: beside the checkout, in
 * ../shared/data (read from there, never copied into the repository), unless
 * DUMMYJSON_DIR names another copy.
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export const DATASET_DIR = process.env.DUMMYJSON_DIR ??
  join(REPO_ROOT, '..', 'shared', 'data', 'dummyjson')
