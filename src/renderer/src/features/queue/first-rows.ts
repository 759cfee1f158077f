/*
 * Whether the queue has put its first rows on screen in this page. The view counts (an index
 * count per view, each walking up to every stored key) wait for it: run first, at 100,000
 * mentions they held the first window's read up for seconds behind them.
 */
let shown = false
const listeners = new Set<() => void>()

export const firstRows = {
  shown: (): boolean => shown,
  mark(): void {
    if (shown) return
    shown = true
    for (const listener of listeners) listener()
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
