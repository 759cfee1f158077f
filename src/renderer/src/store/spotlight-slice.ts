import type { StateCreator } from 'zustand/vanilla'
import type { EarshotState } from './store'

/** The queue narrowed to the posts behind one alert (a spike, a digest). */
export type Spotlight = { title: string; mentionIds: string[] }

export type SpotlightSlice = {
  spotlight: Spotlight | null
  showSpotlight: (spotlight: Spotlight | null) => void
}

export const createSpotlightSlice: StateCreator<EarshotState, [], [], SpotlightSlice> = (set) => ({
  spotlight: null,
  showSpotlight: (spotlight) => set({ spotlight }),
})
