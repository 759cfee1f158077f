import type { StateCreator } from 'zustand/vanilla'
import type { EarshotState } from './store'

export type Screen = 'queue' | 'sources' | 'setup' | 'reports'
export type QueueFilter = 'open' | 'done' | 'all'
export type QueueSort = 'time' | 'urgency'

export type ViewSlice = {
  screen: Screen
  filter: QueueFilter
  sort: QueueSort
  showScreen: (screen: Screen) => void
  setFilter: (filter: QueueFilter) => void
  setSort: (sort: QueueSort) => void
}

export const createViewSlice: StateCreator<EarshotState, [], [], ViewSlice> = (set) => ({
  screen: 'queue',
  filter: 'open',
  sort: 'time',
  showScreen: (screen) => set({ screen }),
  setFilter: (filter) => set({ filter }),
  setSort: (sort) => set({ sort }),
})
