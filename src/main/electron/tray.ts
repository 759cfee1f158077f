import { Menu, nativeImage, Tray } from 'electron'
import type { Logger } from '../log'
import { trayLabel } from './shell-text'

export type TrayOptions = {
  /** `tray.png`; Electron picks `tray@2x.png` beside it on high-density screens. */
  iconPath: string
  onShow: () => void
  onQuit: () => void
  logger: Logger
}

export type TrayControl = {
  /** Shows the number of unhandled urgent mentions in the tooltip (and the title on macOS). */
  setUnhandled(count: number): void
  destroy(): void
}

/** The tray icon that keeps Earshot listening with the window closed. */
export function createTray({ iconPath, onShow, onQuit, logger }: TrayOptions): TrayControl {
  const icon = nativeImage.createFromPath(iconPath)
  if (icon.isEmpty()) logger.warn('Tray icon missing', { iconPath })
  const tray = new Tray(icon)
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Earshot', click: onShow },
      { type: 'separator' },
      { label: 'Quit', click: onQuit },
    ]),
  )
  // Windows and most Linux trays: a click on the icon is the quickest way back.
  tray.on('click', onShow)

  const setUnhandled = (count: number) => {
    const label = trayLabel(count)
    tray.setToolTip(label.tooltip)
    if (process.platform === 'darwin') tray.setTitle(label.title)
  }
  setUnhandled(0)
  return { setUnhandled, destroy: () => tray.destroy() }
}
