/* The Electron host: one window, a tray, OS notifications, app:// and the IPC contract. */
import { join } from 'node:path'
import { app, BrowserWindow, dialog, globalShortcut, ipcMain, session, shell } from 'electron'
import { createCore } from '../core'
import { createLogger } from '../log'
import { registerContract, sendEvent } from './ipc'
import { hardenWebContents, openExternalUrl } from './navigation'
import { chooseShowShortcut, registerShowShortcut } from './global-shortcut'
import { createAlertNotifier } from './notifications'
import { APP_ORIGIN, originOf } from './origin'
import { installPermissionHandlers } from './permissions'
import { handleAppProtocol, registerAppScheme } from './protocol'
import { PLAIN_CREDENTIALS_HINT, plainCredentialsAllowed, safeStorageCipher } from './safe-storage'
import { createTray, type TrayControl } from './tray'
import { createMainWindow, type MainWindow, type OpenTarget } from './window'

/** How long quitting waits for the core to flush before giving up on it. */
const STOP_TIMEOUT_MS = 5000

const here = import.meta.dirname
const logger = createLogger(app.isPackaged ? 'info' : 'debug')

// `electron-vite dev` serves the page from Vite with hot reload. A packaged app ignores the
// variable, so nobody can point the real app at another page through its environment.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const devOrigin = devUrl !== undefined && /^https?:/i.test(devUrl) ? originOf(devUrl) : null
const appOrigin = devOrigin ?? APP_ORIGIN
const startUrl = devOrigin !== null && devUrl !== undefined ? devUrl : `${APP_ORIGIN}/index.html`

// Before ready: the scheme's privileges, and a sandbox for every renderer, whatever its options.
registerAppScheme()
app.enableSandbox()
app.setAppUserModelId('app.earshot.desktop')

// Two processes on one data dir and one IndexedDB would corrupt both: the second launch only
// wakes the first (see 'second-instance') and leaves.
if (app.requestSingleInstanceLock()) start()
else app.quit()

function start(): void {
  let window: MainWindow | null = null
  let tray: TrayControl | null = null
  let quitting = false

  const showWindow = () => window?.show()
  const openMention = (target: OpenTarget) => window?.openMention(target)
  const open = (url: string) => shell.openExternal(url)

  const core = createCore({
    host: 'electron',
    version: app.getVersion(),
    dataDir: app.getPath('userData'),
    logger,
    // Source credentials are encrypted with the OS keychain; plain text only on explicit opt-in.
    cipher: safeStorageCipher,
    allowPlainCredentials: plainCredentialsAllowed(),
    plainCredentialsHint: PLAIN_CREDENTIALS_HINT,
    // The system's proxy settings (and PAC script), as the browser would use them.
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    emit: (event, payload) => {
      for (const win of BrowserWindow.getAllWindows()) sendEvent(win.webContents, event, payload)
    },
    notify: createAlertNotifier(openMention, logger),
    openExternal: async (url) => {
      if (!(await openExternalUrl(url, open))) throw new Error('The link could not be opened')
    },
    setUnhandled: (count) => {
      tray?.setUnhandled(count)
      // Dock and Unity-style launchers only; Windows has no app badge.
      if (process.platform !== 'win32') app.setBadgeCount(count)
    },
  })

  app.on('second-instance', showWindow)
  app.on('activate', showWindow)
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { appOrigin, open, logger })
  })
  // The shortcut is the OS's until Earshot gives it back.
  app.on('will-quit', () => globalShortcut.unregisterAll())
  // Closing the window is not quitting: Earshot keeps listening from the tray.
  app.on('window-all-closed', () => undefined)

  let stopping = false
  let stopped = false
  app.on('before-quit', (event) => {
    quitting = true
    if (stopped) return
    // Hold the quit until the journal and state are flushed, then quit for real.
    event.preventDefault()
    if (stopping) return
    stopping = true
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())
    Promise.race([core.stop(), timeout])
      .catch((cause: unknown) => logger.error('Stopping the core failed', { cause }))
      .finally(() => {
        stopped = true
        app.quit()
      })
  })

  app
    .whenReady()
    .then(async () => {
      installPermissionHandlers(session.defaultSession, appOrigin, logger)
      handleAppProtocol(join(here, '../renderer'), logger)
      registerContract(ipcMain, core.handlers, { appOrigin, logger })
      tray = createTray({
        iconPath: join(here, '../../resources/tray/tray.png'),
        onShow: showWindow,
        onQuit: () => app.quit(),
        logger,
      })
      // The page's first calls (profile, sources, pending batches) need a started core.
      await core.start()
      window = createMainWindow({
        preloadPath: join(here, '../preload/index.cjs'),
        startUrl,
        logger,
        isQuitting: () => quitting,
      })
      // From anywhere on the desktop: Earshot in front, on the most urgent mention.
      registerShowShortcut(
        globalShortcut,
        chooseShowShortcut(process.env),
        () => window?.openMostUrgent(),
        logger,
      )
      logger.info('Earshot started', { version: app.getVersion(), origin: appOrigin })
    })
    .catch((cause: unknown) => {
      logger.error('Earshot could not start', { cause })
      dialog.showErrorBox(
        'Earshot could not start',
        cause instanceof Error ? cause.message : 'An unexpected error stopped Earshot.',
      )
      app.exit(1)
    })
}
