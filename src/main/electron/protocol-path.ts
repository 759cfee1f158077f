import { realpath as fsRealpath } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './origin'

export type AppPathResult =
  { ok: true; path: string; mime: string } | { ok: false; status: 403 | 404 }

/** What the renderer bundle contains. Anything else is not ours to serve: 404. */
const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

const forbidden = { ok: false, status: 403 } as const
const notFound = { ok: false, status: 404 } as const

// Characters that have no business in a bundle path once decoded: separators (an encoded `/` or
// `\` would let one segment climb), NUL and other controls, and `:` (Windows drive letters, ADS).
const unsafeSegment = /[/\\:\p{Cc}]/u

const dotSegment = /\/(?:\.|%2e){1,2}(?:\/|$)/i

const isInside = (root: string, candidate: string) => {
  const rel = relative(root, candidate)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * Maps an `app://earshot/...` request to a file under `root`, after resolving symlinks, or says
 * 403 (trying to leave the bundle, another host, malformed) or 404 (not there, not a known type).
 * `/` is `index.html`. Never throws.
 */
export async function resolveAppPath(
  root: string,
  requestUrl: string,
  realpath: (path: string) => Promise<string> = fsRealpath,
): Promise<AppPathResult> {
  if (typeof requestUrl !== 'string' || requestUrl.length > 4096) return forbidden
  // Checked on the raw string: the URL parser would quietly drop or rewrite some of these.
  if (/[\\\p{Cc}]/u.test(requestUrl)) return forbidden
  // The parser would resolve `..`, `%2e%2e` and friends before we saw them, sometimes back inside
  // the root; the page never asks for such a path, so it is refused rather than tidied.
  if (dotSegment.test(requestUrl.split(/[?#]/, 1)[0] ?? '')) return forbidden
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return forbidden
  }
  if (
    url.protocol !== `${APP_SCHEME}:` ||
    url.host.toLowerCase() !== APP_HOST ||
    url.username !== '' ||
    url.password !== ''
  ) {
    return forbidden
  }

  const segments: string[] = []
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return forbidden
    }
    // A dot segment here was smuggled past the checks above; dotfiles are never in the bundle.
    if (segment.startsWith('.') || unsafeSegment.test(segment)) return forbidden
    segments.push(segment)
  }
  if (segments.length === 0) segments.push('index.html')

  const last = segments[segments.length - 1] ?? ''
  const mime = mimeTypes[extname(last).toLowerCase()]
  if (mime === undefined) return notFound

  let realRoot: string
  try {
    realRoot = await realpath(root)
  } catch {
    return notFound
  }
  const candidate = join(realRoot, ...segments)
  if (!isInside(realRoot, candidate)) return forbidden

  let realFile: string
  try {
    realFile = await realpath(candidate)
  } catch {
    return notFound
  }
  // A symlink inside the bundle that points outside it is refused, not followed.
  if (!isInside(realRoot, realFile)) return forbidden
  return { ok: true, path: realFile, mime }
}
