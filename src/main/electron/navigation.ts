import type { WebContents } from 'electron'
import { isSafeExternal } from '../../shared/external-url'
import type { Logger } from '../log'
import { originOf } from './origin'

export type OpenExternal = (url: string) => Promise<void>

/**
 * Hands `value` to `open` (shell.openExternal) only if it passes the external-link allow-list.
 * True when it was opened; false when refused or when the system could not open it. Never throws.
 */
export async function openExternalUrl(value: unknown, open: OpenExternal): Promise<boolean> {
  if (!isSafeExternal(value)) return false
  try {
    await open(value as string)
    return true
  } catch {
    return false
  }
}

export type NavigationVerdict = 'stay' | 'open-external' | 'deny'

/**
 * What to do when the window would navigate to `url`: stay for the app's own origin (a reload,
 * the dev server's hot reload), hand a safe web link to the browser, refuse everything else.
 */
export function navigationVerdict(url: unknown, appOrigin: string): NavigationVerdict {
  if (originOf(url) === appOrigin) return 'stay'
  return isSafeExternal(url) ? 'open-external' : 'deny'
}

export type HardenOptions = { appOrigin: string; open: OpenExternal; logger: Logger }

/**
 * Locks one WebContents to the app: no navigation away, no new windows, no <webview>. Links the
 * page tries to open go to the system browser if safe. Wire it from app 'web-contents-created'.
 */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  { appOrigin, open, logger }: HardenOptions,
): void {
  contents.on('will-navigate', (event) => {
    const verdict = navigationVerdict(event.url, appOrigin)
    if (verdict === 'stay') return
    event.preventDefault()
    if (verdict === 'open-external') void openExternalUrl(event.url, open)
    else logger.warn('Navigation refused', { url: event.url })
  })
  // A server redirect is not a user's click: refuse it without opening anything.
  contents.on('will-redirect', (event) => {
    if (navigationVerdict(event.url, appOrigin) === 'stay') return
    event.preventDefault()
    logger.warn('Redirect refused', { url: event.url })
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    logger.warn('<webview> refused')
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) void openExternalUrl(url, open)
    else logger.warn('window.open refused', { url })
    return { action: 'deny' }
  })
}
