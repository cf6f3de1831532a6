/**
 * Where the public DummyJSON data set lives: beside the checkout, in
 * ../shared/data (read from there, never copied into the repository), unless
 * DUMMYJSON_DIR names another copy. Loader tests replay a small slice of
 * it, written to a temporary folder.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export const DATASET_DIR = process.env.DUMMYJSON_DIR ??
  join(REPO_ROOT, '..', 'shared', 'data', 'dummyjson')

/** The first product without a brand, $1.99, 8 in stock. */
export const HOUSE_PRODUCT = 16
/** Dior: 10 in stock in the slice, so two of its carts find too few. */
export const DIOR_PRODUCT = 8
export const SUBSET_CART_IDS = [3, 4, 151, 163, 172, 189]
/** The data set gives each person one cart; this second cart of user 3
 * makes the loader tell one customer's orders apart. */
export const SECOND_CART = { id: 209, userId: 3,
  products: [{ id: HOUSE_PRODUCT, quantity: 2 }] }

export interface DatasetSubset {
  readonly dir: string
  /** The slice's products' stock, summed. */
  readonly stock: number
  readonly houseCents: number
  /** Dataset product id → its SKU, before the loader tags it. */
  readonly skus: ReadonlyMap<number, string>
}

type Json = Record<string, any>
interface Teardown { teardown(fn: () => unknown): void }

/**
 * Products 1-8 (eight brands) and one without a brand; the carts keep only
 * lines for those, user 1 has no cart, and user 1's password is too long
 * for bcrypt, so the API refuses it with 400 on body.password.
 */
export async function writeDatasetSubset (
  t: Teardown
): Promise<DatasetSubset> {
  const [products, users, carts] = await Promise.all([
    readJson('products.json'), readJson('users.json'), readJson('carts.json')])
  const chosen = products.filter((p) => p.id <= 8 || p.id === HOUSE_PRODUCT)
    .map((p) => p.id === DIOR_PRODUCT ? { ...p, stock: 10 } : p)
  const ids = new Set(chosen.map((p) => p.id))
  const subsetCarts = [...carts.filter((c) => SUBSET_CART_IDS.includes(c.id))
    .map((c) => ({ ...c,
      products: [...c.products.filter((l: Json) => ids.has(l.id)),
        ...(c.id === 3 ? [{ id: HOUSE_PRODUCT, quantity: 1 }] : [])] })),
  SECOND_CART]
    .reverse() // replay order must come from the cart ids
  const userIds = [1, ...SUBSET_CART_IDS]
  const subsetUsers = users.filter((u) => userIds.includes(u.id))
    .map((u) => u.id === 1 ? { ...u, password: 'x'.repeat(80) } : u)

  const dir = await mkdtemp(join(tmpdir(), 'cr-load-data-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'products.json'), JSON.stringify(chosen))
  await writeFile(join(dir, 'users.json'), JSON.stringify(subsetUsers))
  await writeFile(join(dir, 'carts.json'), JSON.stringify(subsetCarts))
  const house = chosen.find((p) => p.id === HOUSE_PRODUCT)!

  return {
    dir,
    stock: chosen.reduce((sum, p) => sum + (p.stock as number), 0),
    houseCents: Math.round(house.price * 100),
    skus: new Map(chosen.map((p) => [p.id as number, p.sku as string]))
  }
}

async function readJson (file: string) {
  return JSON.parse(await readFile(join(DATASET_DIR, file), 'utf8')) as Json[]
}
