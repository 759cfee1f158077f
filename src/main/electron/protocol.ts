import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import type { Logger } from '../log'
import { contentSecurityPolicy } from '../security/csp'
import { APP_SCHEME } from './origin'
import { resolveAppPath } from './protocol-path'

/**
 * Makes `app:` a real origin: standard (relative URLs, an origin for IndexedDB), secure (a secure
 * context, like https) and reachable by fetch. Not corsEnabled: that would let any origin read it.
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Every answer carries these, errors included. The renderer talks to main over IPC only. */
const baseHeaders = {
  'content-security-policy': contentSecurityPolicy({ connectSrc: ["'self'"] }),
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
}

const refuse = (status: number) => new Response(null, { status, headers: baseHeaders })

/**
 * Serves the built renderer from `rendererRoot` at `app://earshot/`, and refuses `file:` outright
 * so nothing in the app can reach the disk by URL. Call once the app is ready.
 */
export function handleAppProtocol(rendererRoot: string, logger: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405)
    const resolved = await resolveAppPath(rendererRoot, request.url)
    if (!resolved.ok) {
      if (resolved.status === 403) logger.warn('app:// refused a request', { url: request.url })
      return refuse(resolved.status)
    }
    try {
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(resolved.path))
      return new Response(body, {
        status: 200,
        headers: { ...baseHeaders, 'content-type': resolved.mime },
      })
    } catch (cause) {
      // A directory named like a file, or the bundle changed underneath us.
      logger.warn('app:// could not read a file', { url: request.url, cause })
      return refuse(404)
    }
  })
  protocol.handle('file', (request) => {
    logger.warn('file: request refused', { url: request.url })
    return refuse(403)
  })
}
