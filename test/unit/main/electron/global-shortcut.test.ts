import { describe, expect, it, vi } from 'vitest'
import {
  canonicalAccelerator,
  chooseShowShortcut,
  DEFAULT_SHOW_SHORTCUT,
  isTakenShortcut,
  registerShowShortcut,
} from '../../../../src/main/electron/global-shortcut'
import { silentLogger, type Logger } from '../../../../src/main/log'

const recordingLogger = () => {
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) }
  return { logger, warnings }
}

describe('the global shortcut', () => {
  it('is Ctrl/Cmd+Shift+E unless the responder sets another or turns it off', () => {
    expect(chooseShowShortcut({})).toEqual({ accelerator: 'CommandOrControl+Shift+E' })
    expect(chooseShowShortcut({ EARSHOT_SHORTCUT: 'alt+shift+u' })).toEqual({
      accelerator: 'Alt+Shift+U',
    })
    expect(chooseShowShortcut({ EARSHOT_SHORTCUT: 'off' })).toEqual({ accelerator: null })
  })

  it('refuses a value that is no shortcut, or one the system and browsers own, with a reason', () => {
    for (const value of [
      'E',
      'Shift+E',
      'Ctrl+Hyper+E',
      'Ctrl+Shift',
      'Ctrl+Ctrl+E',
      'Ctrl+Shift+EE',
    ]) {
      const choice = chooseShowShortcut({ EARSHOT_SHORTCUT: value })
      expect(choice.accelerator, value).toBe(DEFAULT_SHOW_SHORTCUT)
      expect(choice.problem, value).toMatch(/is not a shortcut/)
    }
    const taken = chooseShowShortcut({ EARSHOT_SHORTCUT: 'Ctrl+Q' })
    expect(taken.accelerator).toBe(DEFAULT_SHOW_SHORTCUT)
    expect(taken.problem).toMatch(/belongs to the system or the browser/)
  })

  it('spells accelerators as Electron does and knows the common clashes in any spelling', () => {
    expect(canonicalAccelerator('cmdorctrl + shift + f5')).toBe('CmdOrCtrl+Shift+F5')
    expect(canonicalAccelerator('Ctrl+Alt+space')).toBe('Ctrl+Alt+Space')
    expect(canonicalAccelerator('Ctrl++')).toBe('Ctrl+Plus')
    expect(isTakenShortcut('Cmd+Shift+4')).toBe(true)
    expect(isTakenShortcut('Ctrl+W')).toBe(true)
    expect(isTakenShortcut('Option+Tab')).toBe(true)
    expect(isTakenShortcut(DEFAULT_SHOW_SHORTCUT)).toBe(false)
  })

  it('registers the chosen accelerator, calls back on press, and gives it back', () => {
    const held = new Map<string, () => void>()
    const shortcuts = {
      register: vi.fn((accelerator: string, run: () => void) => {
        held.set(accelerator, run)
        return true
      }),
      unregister: vi.fn((accelerator: string) => void held.delete(accelerator)),
    }
    const pressed = vi.fn()
    const release = registerShowShortcut(shortcuts, chooseShowShortcut({}), pressed, silentLogger)
    held.get(DEFAULT_SHOW_SHORTCUT)?.()
    expect(pressed).toHaveBeenCalledOnce()
    release()
    expect(held.size).toBe(0)
  })

  it('runs on without it when another program holds it, and says so', () => {
    const { logger, warnings } = recordingLogger()
    const shortcuts = { register: vi.fn(() => false), unregister: vi.fn() }
    const release = registerShowShortcut(shortcuts, { accelerator: 'Alt+Shift+E' }, vi.fn(), logger)
    release()
    expect(shortcuts.unregister).not.toHaveBeenCalled()
    expect(warnings).toEqual(['Another program holds the global shortcut; Earshot runs without it'])
  })

  it('registers nothing when turned off', () => {
    const shortcuts = { register: vi.fn(() => true), unregister: vi.fn() }
    registerShowShortcut(shortcuts, { accelerator: null }, vi.fn(), silentLogger)
    expect(shortcuts.register).not.toHaveBeenCalled()
  })
})
