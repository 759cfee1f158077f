import type { EarshotState } from './store'

// Atomic selectors: each component subscribes to exactly the value it renders.
export const selectSelectedId = (state: EarshotState) => state.selectedId
export const selectRevealNonce = (state: EarshotState) => state.revealNonce
export const selectSelect = (state: EarshotState) => state.select
export const selectScreen = (state: EarshotState) => state.screen
export const selectShowScreen = (state: EarshotState) => state.showScreen
export const selectView = (state: EarshotState) => state.view
export const selectSetView = (state: EarshotState) => state.setView
export const selectFilters = (state: EarshotState) => state.filters
export const selectSetFilters = (state: EarshotState) => state.setFilters
export const selectSavedView = (state: EarshotState) => state.savedView
export const selectChecked = (state: EarshotState) => state.checked
export const selectToggleChecked = (state: EarshotState) => state.toggleChecked
export const selectClearChecked = (state: EarshotState) => state.clearChecked
export const selectSort = (state: EarshotState) => state.sort
export const selectSetSort = (state: EarshotState) => state.setSort
export const selectSync = (state: EarshotState) => state.sync
export const selectToasts = (state: EarshotState) => state.toasts
export const selectPushToast = (state: EarshotState) => state.pushToast
export const selectDismissToast = (state: EarshotState) => state.dismissToast
export const selectSources = (state: EarshotState) => state.sources
export const selectSpotlight = (state: EarshotState) => state.spotlight
export const selectShowSpotlight = (state: EarshotState) => state.showSpotlight
