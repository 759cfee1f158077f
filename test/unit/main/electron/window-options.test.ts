import { describe, expect, it } from 'vitest'
import { windowOptions } from '../../../../src/main/electron/window-options'

describe('windowOptions', () => {
  it('builds the one set of window options', () => {
    expect(windowOptions('/app/out/preload/index.cjs')).toEqual({
      title: 'Earshot',
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 560,
      show: false,
      backgroundColor: '#f6f6f7',
      autoHideMenuBar: true,
      webPreferences: {
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        webSecurity: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: true,
      },
    })
  })

  it('writes every security switch explicitly, not by default', () => {
    const prefs = windowOptions('/p.cjs').webPreferences ?? {}
    for (const key of ['contextIsolation', 'sandbox', 'webSecurity'] as const) {
      expect(prefs[key], key).toBe(true)
    }
    for (const key of [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'allowRunningInsecureContent',
      'experimentalFeatures',
    ] as const) {
      expect(prefs[key], key).toBe(false)
    }
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
  })

  it("matches the page's background in dark mode, and changes nothing else", () => {
    const light = windowOptions('/p.cjs')
    const dark = windowOptions('/p.cjs', 'dark')
    expect(dark.backgroundColor).toBe('#141417')
    expect({ ...dark, backgroundColor: light.backgroundColor }).toEqual(light)
  })

  it('returns a fresh object each time, so one window cannot loosen another', () => {
    const first = windowOptions('/p.cjs')
    const second = windowOptions('/p.cjs')
    expect(first).not.toBe(second)
    expect(first.webPreferences).not.toBe(second.webPreferences)
  })
})
