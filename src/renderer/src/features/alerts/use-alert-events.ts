import { useEffect } from 'react'
import type { Alert } from '../../../../shared/domain'
import { useServices } from '../../services'
import { revealAlert, revealMention, revealMostUrgent, type AlertTarget } from './reveal-mention'

/** Alerts from main: a toast always, a browser notification on the web host when allowed. */
export function useAlertEvents(): void {
  const services = useServices()
  useEffect(() => {
    const { client, store } = services
    const reveal = (target: AlertTarget) => {
      window.focus()
      void revealAlert(services, target)
    }
    const offNotify = client.on('alerts:notify', (alert) => {
      store.getState().pushToast({
        title: alert.title,
        body: alert.body,
        mentionId: alert.mentionId,
        ...(alert.mentionIds ? { mentionIds: alert.mentionIds } : {}),
      })
      // Electron raises its own OS notification in main; the page only does so on the web host.
      if (client.kind === 'web') showBrowserNotification(alert, () => reveal(alert))
    })
    const offOpen = client.on('ui:openMention', ({ mentionId, mentionIds, title }) => {
      if (mentionIds) return reveal({ mentionId, mentionIds, title: title ?? 'the alert' })
      window.focus()
      void revealMention(services, mentionId)
    })
    const offUrgent = client.on('ui:openMostUrgent', () => {
      window.focus()
      void revealMostUrgent(services)
    })
    return () => {
      offNotify()
      offOpen()
      offUrgent()
    }
  }, [services])
}

function showBrowserNotification(alert: Alert, onClick: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  // The tag makes a repeated alert for the same mention replace the earlier one.
  const notification = new Notification(alert.title, { body: alert.body, tag: alert.mentionId })
  notification.onclick = () => {
    onClick()
    notification.close()
  }
}
