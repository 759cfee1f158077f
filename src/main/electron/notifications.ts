import { Notification } from 'electron'
import type { Alert } from '../../shared/domain'
import type { Logger } from '../log'
import { notificationText } from './shell-text'
import type { OpenTarget } from './window'

export type AlertNotifier = (alert: Alert) => void

/**
 * Shows an OS notification per alert; a click calls `onOpen` with the mention id (and for a
 * spike or a digest, its posts). Notifications
 * are held until they close, because one collected by the garbage collector never reports a click.
 */
export function createAlertNotifier(
  onOpen: (target: OpenTarget) => void,
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
      onOpen({
        mentionId: alert.mentionId,
        ...(alert.mentionIds ? { mentionIds: alert.mentionIds, title: alert.title } : {}),
      })
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
