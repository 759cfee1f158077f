import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import {
  hardenWebContents,
  navigationVerdict,
  openExternalUrl,
} from '../../../../src/main/electron/navigation'
import { APP_ORIGIN, originOf } from '../../../../src/main/electron/origin'
import { silentLogger } from '../../../../src/main/log'

describe('originOf', () => {
  it.each([
    ['app://earshot', 'app://earshot'],
    ['app://earshot/', 'app://earshot'],
    ['app://EARSHOT/index.html?x#y', 'app://earshot'],
    ['http://localhost:5173/src/main.tsx', 'http://localhost:5173'],
    ['https://example.com:443/', 'https://example.com'],
    ['null', null],
    ['file:///etc/passwd', null],
    ['about:blank', null],
    ['app://user@earshot/', null],
    ['', null],
    [42, null],
  ])('%s → %s', (value, expected) => {
    expect(originOf(value)).toBe(expected)
  })
})

describe('openExternalUrl', () => {
  it('opens a safe link', async () => {
    const open = vi.fn(() => Promise.resolve())
    expect(await openExternalUrl('https://example.com/post/1', open)).toBe(true)
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/post/1')
  })

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://host/share',
    'https://user:pw@example.com',
    '',
    undefined,
    { href: 'https://example.com' },
  ])('never hands %j to the system', async (value) => {
    const open = vi.fn(() => Promise.resolve())
    expect(await openExternalUrl(value, open)).toBe(false)
    expect(open).not.toHaveBeenCalled()
  })

  it('reports a failure to open instead of throwing', async () => {
    const open = vi.fn(() => Promise.reject(new Error('no handler for https')))
    expect(await openExternalUrl('https://example.com', open)).toBe(false)
  })
})

describe('navigationVerdict', () => {
  it.each([
    ['app://earshot/index.html', APP_ORIGIN, 'stay'],
    ['app://earshot/', APP_ORIGIN, 'stay'],
    ['http://localhost:5173/', 'http://localhost:5173', 'stay'],
    ['https://example.com/', APP_ORIGIN, 'open-external'],
    ['http://localhost:5173/', APP_ORIGIN, 'open-external'],
    ['app://evil/index.html', APP_ORIGIN, 'deny'],
    ['file:///etc/passwd', APP_ORIGIN, 'deny'],
    ['javascript:alert(1)', APP_ORIGIN, 'deny'],
    ['data:text/html,hi', APP_ORIGIN, 'deny'],
    ['about:blank', APP_ORIGIN, 'deny'],
    ['chrome://gpu', APP_ORIGIN, 'deny'],
  ])('%s (app %s) → %s', (url, appOrigin, expected) => {
    expect(navigationVerdict(url, appOrigin)).toBe(expected)
  })
})

describe('hardenWebContents', () => {
  function fakeContents() {
    const emitter = new EventEmitter()
    let windowOpen: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, listener: (...args: unknown[]) => void) => emitter.on(name, listener),
      setWindowOpenHandler: (handler: typeof windowOpen) => {
        windowOpen = handler
      },
    }
    const fire = (name: string, url = '') => {
      const event = { url, preventDefault: vi.fn() }
      emitter.emit(name, event, url)
      return event.preventDefault
    }
    const open = vi.fn(() => Promise.resolve())
    hardenWebContents(contents as never, { appOrigin: APP_ORIGIN, open, logger: silentLogger })
    return { fire, open, windowOpen: (url: string) => windowOpen?.({ url }) }
  }

  it('lets the app reload itself', () => {
    const { fire, open } = fakeContents()
    expect(fire('will-navigate', 'app://earshot/index.html')).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })

  it('keeps the window on the app and sends a safe link to the browser', () => {
    const { fire, open } = fakeContents()
    expect(fire('will-navigate', 'https://example.com/post')).toHaveBeenCalled()
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/post')
  })

  it('refuses an unsafe navigation without opening anything', () => {
    const { fire, open } = fakeContents()
    expect(fire('will-navigate', 'file:///etc/passwd')).toHaveBeenCalled()
    expect(fire('will-navigate', 'javascript:alert(1)')).toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })

  it('refuses redirects away from the app without opening them', () => {
    const { fire, open } = fakeContents()
    expect(fire('will-redirect', 'https://example.com/')).toHaveBeenCalled()
    expect(fire('will-redirect', 'app://earshot/index.html')).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })

  it('never attaches a <webview>', () => {
    const { fire } = fakeContents()
    expect(fire('will-attach-webview')).toHaveBeenCalled()
  })

  it('denies every new window, opening only safe links externally', () => {
    const { windowOpen, open } = fakeContents()
    expect(windowOpen('https://example.com/a')).toEqual({ action: 'deny' })
    expect(windowOpen('app://earshot/index.html')).toEqual({ action: 'deny' })
    expect(windowOpen('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(windowOpen('https://u:p@example.com/')).toEqual({ action: 'deny' })
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/a')
  })
})
