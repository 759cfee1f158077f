import type { StateCreator } from 'zustand/vanilla'
import type { SourceView } from '../../../shared/domain'
import type { EarshotState } from './store'

/** Main's source list as last heard; small config, not history. Null until the first list. */
export type SourcesSlice = {
  sources: SourceView[] | null
  setSources: (sources: SourceView[]) => void
  upsertSource: (source: SourceView) => void
  dropSource: (id: string) => void
}

export const createSourcesSlice: StateCreator<EarshotState, [], [], SourcesSlice> = (set) => ({
  sources: null,
  setSources: (sources) => set({ sources }),
  upsertSource: (source) =>
    set((state) => {
      const list = state.sources ?? []
      const at = list.findIndex((entry) => entry.config.id === source.config.id)
      return { sources: at < 0 ? [...list, source] : list.with(at, source) }
    }),
  dropSource: (id) =>
    set((state) => ({ sources: state.sources?.filter((entry) => entry.config.id !== id) ?? null })),
})
