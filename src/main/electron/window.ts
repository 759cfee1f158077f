import { BrowserWindow, nativeTheme } from 'electron'
import type { Logger } from '../log'
import { sendEvent } from './ipc'
import { windowOptions } from './window-options'

export type MainWindowOptions = {
  preloadPath: string
  /** `app://earshot/index.html`, or the dev server's URL under `electron-vite dev`. */
  startUrl: string
  logger: Logger
  /** True once the user chose Quit: only then does closing the window really close it. */
  isQuitting: () => boolean
}

/** What a clicked notification opens: one mention, or the posts behind a spike or digest. */
export type OpenTarget = { mentionId: string; mentionIds?: string[]; title?: string }

export type MainWindow = {
  /** Shows and focuses the window, creating it if it is gone. */
  show(): void
  /** Brings a mention, or a spike's posts, to the front (an OS notification was clicked). */
  openMention(target: OpenTarget): void
  /** Shows the window on the most urgent mention the page holds (the global shortcut). */
  openMostUrgent(): void
}

/** The one Earshot window. Closing it hides it, so the page keeps storing what the poller hears. */
export function createMainWindow({
  preloadPath,
  startUrl,
  logger,
  isQuitting,
}: MainWindowOptions): MainWindow {
  let current: BrowserWindow | null = null

  const create = () => {
    // The only place a window is made: every window gets windowOptions, nothing looser.
    const theme = nativeTheme.shouldUseDarkColors ? 'dark' : 'light'
    const win = new BrowserWindow(windowOptions(preloadPath, theme))
    win.once('ready-to-show', () => win.show())
    win.on('close', (event) => {
      if (isQuitting()) return
      event.preventDefault()
      win.hide()
    })
    win.on('closed', () => {
      if (current === win) current = null
    })
    win.webContents.on('render-process-gone', (_event, details) => {
      logger.error('The page stopped', { reason: details.reason, exitCode: details.exitCode })
    })
    win.loadURL(startUrl).catch((cause: unknown) => {
      logger.error('The page did not load', { url: startUrl, cause })
    })
    current = win
    return win
  }

  const show = () => {
    if (current === null || current.isDestroyed()) {
      create() // shown on ready-to-show
      return
    }
    // A page that crashed while hidden would come back blank.
    if (current.webContents.isCrashed()) current.webContents.reload()
    if (current.isMinimized()) current.restore()
    current.show()
    current.focus()
  }

  /** Shows the window, then tells its page, once it is loaded, what to bring forward. */
  const showAndSend = (send: (win: BrowserWindow) => void) => {
    show()
    const win = current
    if (win === null) return
    // A window created just now has no listener yet; wait for its page to load.
    if (win.webContents.isLoading()) win.webContents.once('did-finish-load', () => send(win))
    else send(win)
  }

  const openMention = (target: OpenTarget) =>
    showAndSend((win) => sendEvent(win.webContents, 'ui:openMention', target))
  const openMostUrgent = () =>
    showAndSend((win) => sendEvent(win.webContents, 'ui:openMostUrgent', {}))

  create()
  return { show, openMention, openMostUrgent }
}
