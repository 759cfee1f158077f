import { describe, expect, it } from 'vitest'
import {
  commandFor,
  shortcuts,
  type KeyInput,
} from '../../../../src/renderer/src/features/workspace/keymap'
import { fuzzyScore, rankCommands } from '../../../../src/renderer/src/features/workspace/palette'

const press = (
  key: string,
  patch: Partial<KeyInput> = {},
  target: EventTarget | null = document.body,
) =>
  commandFor({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    target,
    ...patch,
  })

/** An element of the given tag and attributes, attached to the page. */
const element = (tag: string, attributes: Record<string, string> = {}): HTMLElement => {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value)
  document.body.append(el)
  return el
}

describe('the keymap', () => {
  it('maps the plain keys to their commands', () => {
    expect(['j', 'k', 'Enter', 'e', 's', 'x', 't', 'r', '/', '?'].map((key) => press(key))).toEqual(
      ['next', 'previous', 'open', 'done', 'snooze', 'check', 'route', 'reply', 'search', 'help'],
    )
    expect(press('?', { shiftKey: true })).toBe('help')
    expect(press('Escape')).toBe('close')
  })

  it('opens the palette with Ctrl+K or Cmd+K, even from a field', () => {
    expect(press('k', { ctrlKey: true })).toBe('palette')
    expect(press('K', { metaKey: true })).toBe('palette')
    expect(press('k', { ctrlKey: true }, element('input', { type: 'text' }))).toBe('palette')
  })

  it('never takes a browser or system shortcut', () => {
    for (const key of ['r', 'w', 't', 'l', 'f', 'n', 'e', 's', 'j', 'Tab', '/']) {
      expect(press(key, { ctrlKey: true }), `Ctrl+${key}`).toBeNull()
      expect(press(key, { metaKey: true }), `Cmd+${key}`).toBeNull()
      expect(press(key, { altKey: true }), `Alt+${key}`).toBeNull()
    }
    // Capitals (Shift+letter) are left alone too.
    expect(press('E', { shiftKey: true })).toBeNull()
  })

  it('does nothing while typing in a text field', () => {
    const fields = [
      element('input', { type: 'text' }),
      element('input', { type: 'search' }),
      element('textarea'),
      element('select'),
      element('div', { contenteditable: 'true' }),
    ]
    for (const field of fields) {
      for (const key of ['j', 'k', 'e', 's', 'x', 't', 'r', '/', '?', 'Enter']) {
        expect(press(key, {}, field), `${key} in ${field.tagName}`).toBeNull()
      }
    }
    // A ticked checkbox is not a text field.
    expect(press('j', {}, element('input', { type: 'checkbox' }))).toBe('next')
  })

  it('leaves Enter to the button or link that has focus', () => {
    expect(press('Enter', {}, element('button'))).toBeNull()
    expect(press('Enter', {}, element('a', { href: '#x' }))).toBeNull()
    expect(press('Enter', {}, element('div', { role: 'grid', tabindex: '0' }))).toBe('open')
  })

  it('lists every command in the shortcut sheet', () => {
    const listed = new Set(shortcuts.map((entry) => entry.command))
    for (const key of ['j', 'k', 'Enter', 'e', 's', 'x', 't', 'r', '/', '?', 'Escape']) {
      const command = press(key)
      expect(command).not.toBeNull()
      expect(listed.has(command!)).toBe(true)
    }
    expect(listed.has('palette')).toBe(true)
  })
})

describe('the palette', () => {
  const commands = ['Go to Inbox', 'Go to Done', 'Mark done', 'Snooze…', 'Open sources'].map(
    (label) => ({ id: label, label, run: () => {} }),
  )

  it('matches letters in order, not necessarily together', () => {
    expect(fuzzyScore('gti', 'Go to Inbox')).not.toBeNull()
    expect(fuzzyScore('xyz', 'Go to Inbox')).toBeNull()
    expect(fuzzyScore('ing', 'Go to Inbox')).toBeNull()
  })

  it('ranks the best match first, and lists everything for an empty query', () => {
    expect(rankCommands('done', commands).map((c) => c.label)).toEqual(['Mark done', 'Go to Done'])
    expect(rankCommands('inbox', commands)[0]?.label).toBe('Go to Inbox')
    expect(rankCommands('src', commands).map((c) => c.label)).toEqual(['Open sources'])
    expect(rankCommands('', commands)).toHaveLength(commands.length)
  })
})
