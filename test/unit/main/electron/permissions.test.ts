import { describe, expect, it, vi } from 'vitest'
import {
  installPermissionHandlers,
  isPermissionAllowed,
} from '../../../../src/main/electron/permissions'
import { silentLogger } from '../../../../src/main/log'

const APP = 'app://earshot'

describe('isPermissionAllowed', () => {
  it.each([
    ['notifications', 'app://earshot', true],
    ['notifications', 'app://earshot/', true],
    ['clipboard-sanitized-write', 'app://earshot/index.html', true],
    ['notifications', 'https://evil.example', false],
    ['notifications', 'app://evil', false],
    ['notifications', 'app://earshot.evil', false],
    ['notifications', 'file:///', false],
    ['notifications', 'null', false],
    ['notifications', '', false],
    ['clipboard-read', APP, false],
    ['media', APP, false],
    ['display-capture', APP, false],
    ['geolocation', APP, false],
    ['openExternal', APP, false],
    ['fullscreen', APP, false],
    ['pointerLock', APP, false],
    ['hid', APP, false],
    ['serial', APP, false],
    ['usb', APP, false],
    ['fileSystem', APP, false],
    ['unknown', APP, false],
    ['Notifications', APP, false],
  ])('%s from %s: %s', (permission, origin, expected) => {
    expect(isPermissionAllowed(permission, origin, APP)).toBe(expected)
  })

  it('follows the app origin it is given (dev server)', () => {
    expect(
      isPermissionAllowed('notifications', 'http://localhost:5173/', 'http://localhost:5173'),
    ).toBe(true)
    expect(isPermissionAllowed('notifications', APP, 'http://localhost:5173')).toBe(false)
  })
})

describe('installPermissionHandlers', () => {
  type RequestHandler = (
    webContents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: { isMainFrame: boolean; requestingUrl: string },
  ) => void
  type CheckHandler = (
    webContents: unknown,
    permission: string,
    origin: string,
    details: { isMainFrame: boolean },
  ) => boolean

  function install() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    }
    installPermissionHandlers(session, APP, silentLogger)
    return {
      request: session.setPermissionRequestHandler.mock.calls[0]?.[0] as RequestHandler,
      check: session.setPermissionCheckHandler.mock.calls[0]?.[0] as CheckHandler,
      device: session.setDevicePermissionHandler.mock.calls[0]?.[0] as () => boolean,
    }
  }

  it('grants an allow-listed request from the app top frame only', () => {
    const { request } = install()
    const answer = (permission: string, requestingUrl: string, isMainFrame = true) => {
      const callback = vi.fn()
      request(null, permission, callback, { isMainFrame, requestingUrl })
      return callback.mock.calls[0]?.[0] as unknown
    }
    expect(answer('notifications', 'app://earshot/index.html')).toBe(true)
    expect(answer('notifications', 'app://earshot/index.html', false)).toBe(false)
    expect(answer('notifications', 'https://evil.example/')).toBe(false)
    expect(answer('media', 'app://earshot/index.html')).toBe(false)
  })

  it('answers checks the same way, and denies every device', () => {
    const { check, device } = install()
    expect(check(null, 'clipboard-sanitized-write', 'app://earshot/', { isMainFrame: true })).toBe(
      true,
    )
    expect(check(null, 'clipboard-sanitized-write', 'app://earshot/', { isMainFrame: false })).toBe(
      false,
    )
    expect(check(null, 'clipboard-read', 'app://earshot/', { isMainFrame: true })).toBe(false)
    expect(device()).toBe(false)
  })
})
