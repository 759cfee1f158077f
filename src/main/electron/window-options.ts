import type { BrowserWindowConstructorOptions } from 'electron'

/** The page's own background (`--bg` in the renderer's base.css), so resizing never flashes. */
const background = { light: '#f6f6f7', dark: '#141417' } as const

/**
 * Options for every Earshot window. Each security switch is written out even where it matches
 * Electron's default, so a change of default, or of this file, shows up in review and in the test.
 */
export function windowOptions(
  preloadPath: string,
  theme: 'light' | 'dark' = 'light',
): BrowserWindowConstructorOptions {
  return {
    title: 'Earshot',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    // Shown on ready-to-show, so the responder never sees a blank frame.
    show: false,
    backgroundColor: background[theme],
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Dropping a file on the window must not navigate it to file://.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
    },
  }
}
