/**
 * Every keyboard shortcut of the workspace, in one place: the shortcut sheet lists this table and
 * the one keydown listener resolves events through `commandFor`.
 *
 * Rules: plain letters (and `/`, `?`, Enter) act only when focus is not in a text field, so typing
 * is never taken over; the only modified shortcut is Ctrl/Cmd+K (the palette). Every other
 * Ctrl, Cmd or Alt combination (Ctrl/Cmd+R, W, T, L, F, N, Tab...) goes to the browser or the OS.
 */

export type Command =
  | 'next'
  | 'previous'
  | 'open'
  | 'done'
  | 'snooze'
  | 'check'
  | 'route'
  | 'reply'
  | 'search'
  | 'help'
  | 'palette'
  | 'close'

export type Shortcut = { command: Command; keys: string[]; label: string }

export const shortcuts: readonly Shortcut[] = [
  { command: 'next', keys: ['j', '↓'], label: 'Next mention' },
  { command: 'previous', keys: ['k', '↑'], label: 'Previous mention' },
  { command: 'open', keys: ['Enter'], label: 'Open the mention in the side panel' },
  { command: 'done', keys: ['e'], label: 'Mark done (the ticked rows, or the current one)' },
  { command: 'snooze', keys: ['s'], label: 'Snooze until a chosen time' },
  { command: 'check', keys: ['x'], label: 'Tick or untick the current row for a bulk action' },
  { command: 'route', keys: ['t'], label: 'Route to a department' },
  { command: 'reply', keys: ['r'], label: 'Reply (goes to the reply area when there is one)' },
  { command: 'search', keys: ['/'], label: 'Search words in the queue' },
  { command: 'help', keys: ['?'], label: 'Show this list of shortcuts' },
  { command: 'palette', keys: ['Ctrl+K', '⌘K'], label: 'Command palette' },
  { command: 'close', keys: ['Esc'], label: 'Close a dialog, leave a field, or untick all' },
]

const plain: Record<string, Command> = {
  j: 'next',
  k: 'previous',
  Enter: 'open',
  e: 'done',
  s: 'snooze',
  x: 'check',
  t: 'route',
  r: 'reply',
  '/': 'search',
  '?': 'help',
}

export type KeyInput = Pick<
  KeyboardEvent,
  'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'
>

/** Keys typed into a field are text, not shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true
  if (target.tagName !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type)
}

/** Elements where Enter already means something (press a button, follow a link). */
function ownsEnter(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  return ['BUTTON', 'A', 'INPUT', 'SUMMARY'].includes(target.tagName) || target.role === 'option'
}

/** The command a key press asks for, or null when it is not ours to take. */
export function commandFor(event: KeyInput): Command | null {
  const { key, ctrlKey, metaKey, altKey } = event
  if ((ctrlKey || metaKey) && !altKey && key.toLowerCase() === 'k') return 'palette'
  if (ctrlKey || metaKey || altKey) return null
  if (key === 'Escape') return 'close'
  if (isTyping(event.target)) return null
  if (key === 'Enter' && ownsEnter(event.target)) return null
  // Shift+letter is a capital: not ours (Shift+? is how `?` is typed, and is).
  if (key.length === 1 && key !== key.toLowerCase()) return null
  return plain[key] ?? null
}
