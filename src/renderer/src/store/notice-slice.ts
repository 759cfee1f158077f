import type { StateCreator } from 'zustand/vanilla'
import type { SyncStatus } from '../db/sync'
import type { EarshotState } from './store'

/** A short message in the corner; with a mention id it opens that mention when clicked. */
export type Toast = {
  id: number
  title: string
  body?: string
  mentionId?: string
  /** The posts behind a spike or a digest: a click opens the queue filtered to them. */
  mentionIds?: string[]
}

/** More than this and the oldest go: a burst of alerts must not bury the screen. */
export const MAX_TOASTS = 3

export type NoticeSlice = {
  sync: SyncStatus
  toasts: Toast[]
  nextToastId: number
  setSync: (status: SyncStatus) => void
  pushToast: (toast: Omit<Toast, 'id'>) => number
  dismissToast: (id: number) => void
}

export const createNoticeSlice: StateCreator<EarshotState, [], [], NoticeSlice> = (set, get) => ({
  sync: { kind: 'ok' },
  toasts: [],
  nextToastId: 1,
  setSync: (sync) => set({ sync }),
  pushToast: (toast) => {
    const id = get().nextToastId
    set((state) => ({
      nextToastId: id + 1,
      toasts: [...state.toasts, { ...toast, id }].slice(-MAX_TOASTS),
    }))
    return id
  },
  dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
})
