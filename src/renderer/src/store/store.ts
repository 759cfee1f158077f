import { createStore } from 'zustand/vanilla'
import { createNoticeSlice, type NoticeSlice } from './notice-slice'
import { createRoutingSlice, type RoutingSlice } from './routing-slice'
import { createSelectionSlice, type SelectionSlice } from './selection-slice'
import { createSourcesSlice, type SourcesSlice } from './sources-slice'
import { createSpotlightSlice, type SpotlightSlice } from './spotlight-slice'
import { createViewSlice, type ViewSlice } from './view-slice'

/** What the screen is doing. The history itself stays in Dexie. */
export type EarshotState = SelectionSlice &
  ViewSlice &
  NoticeSlice &
  SourcesSlice &
  SpotlightSlice &
  RoutingSlice

export const createEarshotStore = () =>
  createStore<EarshotState>()((...args) => ({
    ...createSelectionSlice(...args),
    ...createViewSlice(...args),
    ...createNoticeSlice(...args),
    ...createSourcesSlice(...args),
    ...createSpotlightSlice(...args),
    ...createRoutingSlice(...args),
  }))

export type EarshotStore = ReturnType<typeof createEarshotStore>
