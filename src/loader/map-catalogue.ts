/**
 * The catalogue as the API will hold it: one vendor per brand, plus a house
 * vendor for the products without a brand, each with the products it will
 * create. Prices become integer cents; SKUs carry the run id.
 */
import type { DatasetProduct } from './dataset.ts'
import { tagSku, tagUsername, vendorEmail } from './run-tag.ts'

export const HOUSE_VENDOR_SLUG = 'house'

export interface ProductBody {
  readonly sku: string
  readonly title: string
  readonly description: string
  readonly category: string
  readonly brand: string | null
  readonly priceCents: number
  readonly stock: number
}

export interface PlannedProduct {
  readonly datasetId: number
  readonly body: ProductBody
}

export interface VendorPlan {
  /** The brand, or null for the house vendor. */
  readonly brand: string | null
  readonly email: string
  readonly username: string
  readonly products: readonly PlannedProduct[]
}

/** Dollars as a float to integer cents (19.99 * 100 is 1998.9999...). */
export function toCents (price: number) {
  return Math.round(price * 100)
}

export function toProductBody (
  product: DatasetProduct,
  runId: string
): ProductBody {
  return {
    sku: tagSku(product.sku, runId),
    title: product.title,
    description: product.description,
    category: product.category,
    brand: brandOf(product) ?? null,
    priceCents: toCents(product.price),
    stock: product.stock
  }
}

/** 'Dolce & Gabbana' → 'dolce-gabbana'. */
export function toBrandSlug (brand: string) {
  return brand.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'brand'
}

/** Vendors in order of their first product, brands first met first. */
export function planVendors (
  products: readonly DatasetProduct[],
  runId: string
): VendorPlan[] {
  const byBrand = new Map<string | null, PlannedProduct[]>()
  for (const product of products) {
    const brand = brandOf(product) ?? null
    const planned = byBrand.get(brand) ?? []
    planned.push({ datasetId: product.id, body: toProductBody(product, runId) })
    byBrand.set(brand, planned)
  }

  return [...byBrand].map(([brand, planned]) => {
    const slug = brand === null ? HOUSE_VENDOR_SLUG : toBrandSlug(brand)

    return {
      brand,
      email: vendorEmail(slug, runId),
      username: tagUsername(`vendor-${slug}`, runId),
      products: planned
    }
  })
}

function brandOf (product: DatasetProduct) {
  const brand = product.brand?.trim()

  return brand === undefined || brand === '' ? undefined : brand
}
