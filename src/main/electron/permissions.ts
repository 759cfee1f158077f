import type { Session } from 'electron'
import type { Logger } from '../log'
import { originOf } from './origin'

/** The only web permissions the app page ever gets. Everything else (camera, geolocation...) is no. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'notifications',
  'clipboard-sanitized-write',
])

/**
 * True only for an allow-listed permission asked by the app's own origin. `requestingOrigin` may
 * be an origin or a full URL, with or without a trailing slash (Electron passes both shapes).
 */
export function isPermissionAllowed(
  permission: string,
  requestingOrigin: string,
  appOrigin: string,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && originOf(requestingOrigin) === appOrigin
}

type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>

/** Installs the allow-list on a session: requests, synchronous checks and device access. */
export function installPermissionHandlers(
  session: PermissionSession,
  appOrigin: string,
  logger: Logger,
): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    // Only the top frame may ask; a sub-frame should not exist, and never speaks for the app.
    const allowed =
      details.isMainFrame && isPermissionAllowed(permission, details.requestingUrl, appOrigin)
    if (!allowed) logger.info('Permission denied', { permission, url: details.requestingUrl })
    callback(allowed)
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    return details.isMainFrame && isPermissionAllowed(permission, requestingOrigin, appOrigin)
  })
  // USB, HID, serial and Bluetooth: never.
  session.setDevicePermissionHandler(() => false)
}
