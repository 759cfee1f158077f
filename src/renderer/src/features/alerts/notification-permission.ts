import { useSyncExternalStore } from 'react'

export type Permission = NotificationPermission | 'unsupported'

const listeners = new Set<() => void>()

function read(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The browser's notification permission, re-read after we ask for it. */
export function useNotificationPermission(): Permission {
  return useSyncExternalStore(subscribe, read)
}

/** Must run inside a click: browsers ignore permission requests without a user gesture. */
export async function requestNotifications(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported'
  await Notification.requestPermission()
  for (const listener of listeners) listener()
  return read()
}
