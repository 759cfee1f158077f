import type { StateCreator } from 'zustand/vanilla'
import type { EarshotState } from './store'

export type SelectionSlice = {
  selectedId: string | null
  /** Bumped when the selected row should be scrolled into view (keyboard, notification click). */
  revealNonce: number
  select: (id: string | null, options?: { reveal?: boolean }) => void
}

export const createSelectionSlice: StateCreator<EarshotState, [], [], SelectionSlice> = (set) => ({
  selectedId: null,
  revealNonce: 0,
  select: (id, options) =>
    set((state) => ({
      selectedId: id,
      revealNonce: options?.reveal ? state.revealNonce + 1 : state.revealNonce,
    })),
})
