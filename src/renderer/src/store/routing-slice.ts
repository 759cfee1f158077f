import type { StateCreator } from 'zustand/vanilla'
import type { RoutingSettings } from '../../../shared/routing'
import type { EarshotState } from './store'

/** Main's routing rules and departments as last heard; null until first asked for. */
export type RoutingSlice = {
  routing: RoutingSettings | null
  setRouting: (routing: RoutingSettings) => void
}

export const createRoutingSlice: StateCreator<EarshotState, [], [], RoutingSlice> = (set) => ({
  routing: null,
  setRouting: (routing) => set({ routing }),
})

export const selectRouting = (state: EarshotState) => state.routing
