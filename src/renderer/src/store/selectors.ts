import type { EarshotState } from './store'

// Atomic selectors: each component subscribes to exactly the value it renders.
export const selectSelectedId = (state: EarshotState) => state.selectedId
export const selectRevealNonce = (state: EarshotState) => state.revealNonce
export const selectSelect = (state: EarshotState) => state.select
export const selectScreen = (state: EarshotState) => state.screen
export const selectShowScreen = (state: EarshotState) => state.showScreen
export const selectFilter = (state: EarshotState) => state.filter
export const selectSetFilter = (state: EarshotState) => state.setFilter
export const selectSort = (state: EarshotState) => state.sort
export const selectSetSort = (state: EarshotState) => state.setSort
export const selectSync = (state: EarshotState) => state.sync
export const selectToasts = (state: EarshotState) => state.toasts
export const selectPushToast = (state: EarshotState) => state.pushToast
export const selectDismissToast = (state: EarshotState) => state.dismissToast
export const selectSources = (state: EarshotState) => state.sources
export const selectSpotlight = (state: EarshotState) => state.spotlight
export const selectShowSpotlight = (state: EarshotState) => state.showSpotlight
