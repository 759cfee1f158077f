import { Notification } from 'electron'
import type { Alert } from '../../shared/domain'
import type { Logger } from '../log'
import { notificationText } from './shell-text'

export type AlertNotifier = (alert: Alert) => void

/**
 * Shows an OS notification per alert; a click calls `onOpen` with the mention id. Notifications
 * are held until they close, because one collected by the garbage collector never reports a click.
 */
export function createAlertNotifier(
  onOpen: (mentionId: string) => void,
  logger: Logger,
): AlertNotifier {
  const live = new Set<Notification>()
  return (alert) => {
    if (!Notification.isSupported()) {
      logger.warn('OS notifications are not supported here', { mentionId: alert.mentionId })
      return
    }
    const { title, body } = notificationText(alert, process.platform)
    const notification = new Notification({ title, body, silent: false })
    const release = () => live.delete(notification)
    notification.on('click', () => {
      release()
      onOpen(alert.mentionId)
    })
    notification.on('close', release)
    notification.on('failed', (_event, error) => {
      release()
      logger.warn('OS notification failed', { mentionId: alert.mentionId, error })
    })
    live.add(notification)
    notification.show()
  }
}
