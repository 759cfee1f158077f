import { useEffect } from 'react'
import { useServices } from '../../services'
import type { Toast } from '../../store/notice-slice'
import { selectDismissToast, selectToasts } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { revealAlert } from './reveal-mention'

/**
 * Confirmations fade quickly. Alerts linger longer but go too: they must not cover the mention
 * being read, and the urgent ones stay marked in the queue and counted on the Queue tab.
 */
const PLAIN_TOAST_MS = 5_000
const ALERT_TOAST_MS = 30_000

export function Toasts() {
  const toasts = useAppStore(selectToasts)
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((toast) => (
        <ToastCard key={toast.id} toast={toast} />
      ))}
    </section>
  )
}

function ToastCard({ toast }: { toast: Toast }) {
  const services = useServices()
  const dismiss = useAppStore(selectDismissToast)
  const { id, mentionId } = toast

  useEffect(() => {
    const timer = setTimeout(
      () => dismiss(id),
      mentionId === undefined ? PLAIN_TOAST_MS : ALERT_TOAST_MS,
    )
    return () => clearTimeout(timer)
  }, [dismiss, id, mentionId])

  const body = (
    <>
      <span className="toast__title">{toast.title}</span>
      {toast.body ? <span className="toast__body">{toast.body}</span> : null}
    </>
  )
  return (
    <div className={mentionId ? 'toast toast--alert' : 'toast'}>
      {mentionId ? (
        <button
          type="button"
          className="toast__open"
          onClick={() => {
            dismiss(id)
            void revealAlert(services, {
              mentionId,
              mentionIds: toast.mentionIds,
              title: toast.title,
            })
          }}
        >
          {body}
        </button>
      ) : (
        <div className="toast__open">{body}</div>
      )}
      <button
        type="button"
        className="toast__close"
        aria-label="Dismiss"
        onClick={() => dismiss(id)}
      >
        ×
      </button>
    </div>
  )
}
