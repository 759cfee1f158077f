import { useStore } from 'zustand'
import { useServices } from '../services'
import type { EarshotState } from './store'

/** Reads the app's store through one atomic selector. */
export function useAppStore<T>(selector: (state: EarshotState) => T): T {
  return useStore(useServices().store, selector)
}
