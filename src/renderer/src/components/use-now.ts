import { useSyncExternalStore } from 'react'

/*
 * One shared clock for every relative time on screen: a single interval instead of one per row,
 * and a cached value so React sees a stable snapshot between ticks.
 */
const TICK_MS = 15_000
let current = Date.now()
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | undefined

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  if (timer === undefined) {
    current = Date.now()
    timer = setInterval(() => {
      current = Date.now()
      for (const notify of listeners) notify()
    }, TICK_MS)
  }
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0) {
      clearInterval(timer)
      timer = undefined
    }
  }
}

const snapshot = () => current

/** Epoch milliseconds, refreshed every few seconds. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot)
}
