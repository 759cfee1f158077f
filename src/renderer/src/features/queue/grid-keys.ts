/**
 * The position a key moves the selection to, or null when the key is not ours. `at` is the
 * selection's position, or -1 when it is not in the view (none, or it just left it, e.g. marked
 * done under Open); then `lastAt` is where it was, and the row now there comes next.
 */
export function nextPosition(
  key: string,
  at: number,
  lastAt: number,
  count: number,
): number | null {
  if (count === 0) return null
  const clamp = (position: number) => Math.min(Math.max(position, 0), count - 1)
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return clamp(at >= 0 ? at + 1 : lastAt)
    case 'ArrowUp':
    case 'k':
      return clamp(at >= 0 ? at - 1 : lastAt - 1)
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

export { isTyping } from '../workspace/keymap'
