import type { StateCreator } from 'zustand/vanilla'
import type { FiltersPatch, QueueFilters, QueueSort, ViewId } from '../db/queue-query'
import type { EarshotState } from './store'

export type { QueueSort, ViewId } from '../db/queue-query'
export type Screen =
  'queue' | 'sources' | 'setup' | 'notifications' | 'routing' | 'reports' | 'history'

export type ViewSlice = {
  screen: Screen
  view: ViewId
  sort: QueueSort
  filters: QueueFilters
  /** The responder's saved view being shown, if any (its filters are in `filters`). */
  savedView: string | null
  /** Rows ticked with x for a bulk action, in the order they were ticked. */
  checked: string[]
  showScreen: (screen: Screen) => void
  /** Switches view; filters are cleared (a saved view passes its own). */
  setView: (view: ViewId, options?: { filters?: QueueFilters; savedView?: string | null }) => void
  setSort: (sort: QueueSort) => void
  setFilters: (patch: FiltersPatch, options?: { replace?: boolean }) => void
  toggleChecked: (id: string) => void
  clearChecked: () => void
}

export const createViewSlice: StateCreator<EarshotState, [], [], ViewSlice> = (set) => ({
  screen: 'queue',
  view: 'inbox',
  sort: 'time',
  filters: {},
  savedView: null,
  checked: [],
  showScreen: (screen) => set({ screen }),
  setView: (view, options) =>
    set({
      view,
      filters: options?.filters ?? {},
      savedView: options?.savedView ?? null,
      checked: [],
    }),
  setSort: (sort) => set({ sort }),
  setFilters: (patch, options) =>
    set((state) => {
      const merged: FiltersPatch = options?.replace ? { ...patch } : { ...state.filters, ...patch }
      for (const key of Object.keys(merged) as (keyof QueueFilters)[]) {
        if (merged[key] === undefined) delete merged[key]
      }
      return { filters: merged as QueueFilters, checked: [] }
    }),
  toggleChecked: (id) =>
    set((state) => ({
      checked: state.checked.includes(id)
        ? state.checked.filter((other) => other !== id)
        : [...state.checked, id],
    })),
  clearChecked: () => set({ checked: [] }),
})
