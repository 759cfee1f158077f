/*
 * Whether the queue has put its first rows on screen in this page. Reads that walk an index over
 * the whole history wait for it: the view counts, the tray's count of urgent mentions (an index
 * count each, walking up to every stored key) and the states mirror. IndexedDB answers one request
 * at a time, in order: run first, at 100,000 mentions they held the first window's read up for
 * seconds behind them.
 */
let shown = false
/** Set by the page's start-up: a queue is about to paint, so the reads above wait for it. */
let expected = false
const listeners = new Set<() => void>()

export const firstRows = {
  shown: (): boolean => shown,
  /**
   * True once the start-up's first rows are on screen, or when no start-up is waiting for them
   * (a test rendering one part of the page, or a page that never called expect()).
   */
  settled: (): boolean => shown || !expected,
  /**
   * The page starts on the queue: hold the reads that wait for its first rows. After `fallbackMs`
   * they run anyway, for a start on a screen without the queue (first run's setup).
   */
  expect(fallbackMs: number): void {
    if (shown) return
    expected = true
    setTimeout(() => firstRows.mark(), fallbackMs)
  },
  mark(): void {
    if (shown) return
    shown = true
    // The start-up's end, for the queue benchmark beside its other marks.
    performance.mark?.('earshot:first-rows')
    for (const listener of listeners) listener()
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
}
