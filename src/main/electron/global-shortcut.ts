/* The global shortcut that brings Earshot forward on the most urgent mention. Pure apart from the
   injected `globalShortcut`, so it is unit-tested without Electron. */
import type { GlobalShortcut } from 'electron'
import type { Logger } from '../log'

/**
 * Ctrl+Shift+E (Cmd+Shift+E on macOS): E for Earshot. Browsers and the desktops Earshot runs on
 * leave it free, unlike Ctrl+Shift+U (Linux Unicode input), Ctrl+Shift+N/T/W (browsers) or
 * Cmd+Shift+3/4/5 (macOS screenshots).
 */
export const DEFAULT_SHOW_SHORTCUT = 'CommandOrControl+Shift+E'

/** The environment variable that replaces the shortcut; `off` turns it off. */
export const SHORTCUT_ENV = 'EARSHOT_SHORTCUT'

const MODIFIERS = new Map(
  [
    'Command',
    'Cmd',
    'Control',
    'Ctrl',
    'CommandOrControl',
    'CmdOrCtrl',
    'Alt',
    'Option',
    'AltGr',
    'Shift',
    'Super',
    'Meta',
  ].map((name) => [name.toLowerCase(), name]),
)
const NAMED_KEYS = new Map(
  [
    'Plus',
    'Space',
    'Tab',
    'Backspace',
    'Delete',
    'Insert',
    'Return',
    'Enter',
    'Up',
    'Down',
    'Left',
    'Right',
    'Home',
    'End',
    'PageUp',
    'PageDown',
    'Escape',
    'Esc',
  ].map((name) => [name.toLowerCase(), name]),
)

/** Taken by the OS or every browser: a global shortcut there would steal it from the responder. */
const TAKEN = new Set([
  'commandorcontrol+q',
  'commandorcontrol+w',
  'commandorcontrol+c',
  'commandorcontrol+v',
  'commandorcontrol+x',
  'commandorcontrol+z',
  'commandorcontrol+a',
  'commandorcontrol+f',
  'commandorcontrol+t',
  'commandorcontrol+n',
  'commandorcontrol+tab',
  'commandorcontrol+shift+t',
  'commandorcontrol+shift+n',
  'commandorcontrol+shift+w',
  'commandorcontrol+shift+u',
  'alt+tab',
  'alt+f4',
  'super+l',
  'commandorcontrol+shift+3',
  'commandorcontrol+shift+4',
  'commandorcontrol+shift+5',
])

const isKey = (part: string) =>
  /^[a-z0-9]$/i.test(part) ||
  /^f([1-9]|1\d|2[0-4])$/i.test(part) ||
  /^[`\-=[\];',./\\]$/.test(part) ||
  NAMED_KEYS.has(part.toLowerCase())

/**
 * An Electron accelerator in its canonical spelling (`Ctrl+Shift+e` → `Ctrl+Shift+E`), or null
 * when it is not one a global shortcut should have: one key after at least one modifier other
 * than Shift (a bare key or Shift+key would fire while the responder types elsewhere).
 */
export function canonicalAccelerator(value: string): string | null {
  // "Ctrl++" names the plus key.
  const parts = value
    .trim()
    .replace(/\+\s*\+$/, '+Plus')
    .split('+')
    .map((part) => part.trim())
  const key = parts.at(-1)
  const modifiers = parts.slice(0, -1)
  if (key === undefined || !isKey(key) || modifiers.length === 0) return null
  const named = modifiers.map((part) => MODIFIERS.get(part.toLowerCase()))
  if (named.some((name) => name === undefined)) return null
  if (new Set(named).size !== named.length) return null
  if (named.every((name) => name === 'Shift')) return null
  const keyName =
    key.length === 1 ? key.toUpperCase() : (NAMED_KEYS.get(key.toLowerCase()) ?? key.toUpperCase())
  return [...(named as string[]), keyName].join('+')
}

/** Where the same combination means something else on every desktop (see `TAKEN`). */
export function isTakenShortcut(accelerator: string): boolean {
  const spelled = accelerator
    .toLowerCase()
    .replace(/\b(?:cmdorctrl|command|cmd|control|ctrl)\b/g, 'commandorcontrol')
    .replace(/\boption\b/g, 'alt')
    .replace(/\bmeta\b/g, 'super')
  return TAKEN.has(spelled)
}

export type ShortcutChoice = {
  /** The accelerator to register, or null when the responder turned the shortcut off. */
  accelerator: string | null
  /** Why the configured value was not used, in the responder's words. */
  problem?: string
}

/** The shortcut from the environment: unset means the default, `off` none, else the value given. */
export function chooseShowShortcut(
  env: Readonly<Record<string, string | undefined>>,
): ShortcutChoice {
  const raw = env[SHORTCUT_ENV]?.trim()
  if (raw === undefined || raw === '') return { accelerator: DEFAULT_SHOW_SHORTCUT }
  if (/^(off|none|false|0)$/i.test(raw)) return { accelerator: null }
  const accelerator = canonicalAccelerator(raw)
  if (accelerator === null) {
    return {
      accelerator: DEFAULT_SHOW_SHORTCUT,
      problem: `${SHORTCUT_ENV}="${raw}" is not a shortcut with Ctrl, Cmd, Alt or Super and one key; using ${DEFAULT_SHOW_SHORTCUT}`,
    }
  }
  if (isTakenShortcut(accelerator)) {
    return {
      accelerator: DEFAULT_SHOW_SHORTCUT,
      problem: `${SHORTCUT_ENV}="${raw}" belongs to the system or the browser; using ${DEFAULT_SHOW_SHORTCUT}`,
    }
  }
  return { accelerator }
}

/**
 * Registers the shortcut; another program holding it is logged, not fatal (Earshot works without
 * it). Returns the function that unregisters it.
 */
export function registerShowShortcut(
  shortcuts: Pick<GlobalShortcut, 'register' | 'unregister'>,
  choice: ShortcutChoice,
  onPress: () => void,
  logger: Logger,
): () => void {
  if (choice.problem) logger.warn(choice.problem)
  const { accelerator } = choice
  if (accelerator === null) return () => undefined
  let registered: boolean
  try {
    registered = shortcuts.register(accelerator, onPress)
  } catch (cause) {
    logger.warn('The global shortcut could not be registered', { accelerator, cause })
    return () => undefined
  }
  if (!registered) {
    logger.warn('Another program holds the global shortcut; Earshot runs without it', {
      accelerator,
    })
    return () => undefined
  }
  logger.info('Global shortcut ready', { accelerator })
  return () => shortcuts.unregister(accelerator)
}
