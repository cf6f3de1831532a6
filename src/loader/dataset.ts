/**
 * The DummyJSON folder the loader replays (products.json, users.json,
 * carts.json): only the fields a retail backend takes are typed here; the
 * rest of each record is read and ignored, never sent anywhere.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { LoaderError } from './loader-error.ts'

export interface DatasetProduct {
  readonly id: number
  readonly title: string
  readonly description: string
  readonly category: string
  /** Missing on products that have no brand. */
  readonly brand?: string
  /** US dollars, a float. */
  readonly price: number
  readonly stock: number
  readonly sku: string
}

export interface DatasetAddress {
  readonly address: string
  readonly city: string
  readonly state: string
  readonly postalCode: string
  readonly country: string
}

export interface DatasetUser {
  readonly id: number
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly username: string
  readonly password: string
  readonly address?: DatasetAddress
}

export interface DatasetCartLine {
  readonly id: number
  readonly quantity: number
}

export interface DatasetCart {
  readonly id: number
  readonly userId: number
  readonly products: readonly DatasetCartLine[]
}

export interface Dataset {
  readonly products: readonly DatasetProduct[]
  readonly users: readonly DatasetUser[]
  readonly carts: readonly DatasetCart[]
}

export async function readDataset (dir: string): Promise<Dataset> {
  const [products, users, carts] = await Promise.all([
    readArray<DatasetProduct>(dir, 'products.json'),
    readArray<DatasetUser>(dir, 'users.json'),
    readArray<DatasetCart>(dir, 'carts.json')
  ])

  return { products, users, carts }
}

async function readArray<T> (dir: string, file: string): Promise<T[]> {
  const path = join(dir, file)
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new LoaderError('CR_ERR_LOADER_DATASET',
      `cannot read ${path}: ${(error as Error).message}`)
  }
  if (!Array.isArray(parsed)) {
    throw new LoaderError('CR_ERR_LOADER_DATASET',
      `${path} must hold one JSON array`)
  }

  return parsed as T[]
}
