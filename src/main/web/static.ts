import { readFile, realpath } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

export type StaticFile =
  { ok: true; body: Buffer; mime: string; isIndex: boolean } | { ok: false; status: 403 | 404 }

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Reads a file of the built renderer for a request path. Only files under `root`, after the real
 * path is resolved, are served: traversal, encoded separators, NUL bytes and symlinks out are not.
 */
export async function readStaticFile(root: string, requestPath: string): Promise<StaticFile> {
  const pathname = requestPath.split(/[?#]/, 1)[0] ?? '/'
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return { ok: false, status: 403 }
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded)) {
    return { ok: false, status: 403 }
  }
  const wanted = decoded === '/' || decoded === '' ? '/index.html' : decoded
  const rootReal = await realpath(root)
  const candidate = resolve(rootReal, '.' + wanted)
  if (!inside(rootReal, candidate)) return { ok: false, status: 403 }
  let real: string
  try {
    real = await realpath(candidate)
  } catch {
    return { ok: false, status: 404 }
  }
  if (!inside(rootReal, real)) return { ok: false, status: 403 }
  try {
    const body = await readFile(real)
    const mime = mimeTypes[extname(real).toLowerCase()] ?? 'application/octet-stream'
    return { ok: true, body, mime, isIndex: wanted === '/index.html' }
  } catch {
    return { ok: false, status: 404 }
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))
}
