import { useServices } from '../../services'
import { requestNotifications, useNotificationPermission } from './notification-permission'

/** On the web host the browser asks once; until then urgent alerts only show inside the page. */
export function NotificationButton() {
  const { client } = useServices()
  const permission = useNotificationPermission()
  if (client.kind !== 'web' || permission !== 'default') return null
  return (
    <button
      type="button"
      className="button button--small"
      onClick={() => void requestNotifications()}
    >
      Enable notifications
    </button>
  )
}
