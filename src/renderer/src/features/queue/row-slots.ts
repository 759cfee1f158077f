/*
 * Rows are keyed by a slot, not by their position. Keyed by position, every scrolled frame
 * unmounted the rows that left the view and mounted the ones that came in: each a fresh row of
 * about thirty elements, a checkbox and its listeners, and the removal of as many, in the same
 * frame. Keyed by `position % pool`, a row that comes in takes the key, and so the elements, of
 * one that just left, and React only rewrites what differs (texts, classes, the offset).
 */

/**
 * How many slots the grid cycles through: at least as many rows as it can render at once, so the
 * rows of a contiguous range (the virtualizer's) never share a key, and the same from frame to
 * frame while the viewport keeps its height, so a row coming in reuses a leaving row's slot.
 */
export function slotPool(
  viewportHeight: number,
  rowHeight: number,
  overscan: number,
  rendered: number,
): number {
  // A partly shown row at each edge adds one beyond the rows that fit.
  const fits = Math.ceil(viewportHeight / rowHeight) + 1
  return Math.max(rendered, fits + 2 * overscan)
}

/** The key of the row at `position`. */
export const slotOf = (position: number, pool: number): number => position % pool
