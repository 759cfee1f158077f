/* Origins as the shell compares them. Pure, so the sender and permission checks test under Node. */

/** The fixed origin the production renderer is served from (see protocol.ts). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'earshot'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * `scheme://host[:port]` of a URL or serialized origin, lower-cased, or null when it has no host
 * (opaque origins, `file:`, `about:`, garbage). Node's URL reports `null` as the origin of any
 * non-web scheme, so app:// would never match if we used `URL.origin`.
 */
export function originOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4096) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (url.host === '' || url.username !== '' || url.password !== '') return null
  return `${url.protocol}//${url.host}`.toLowerCase()
}
