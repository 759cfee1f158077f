import { describe, expect, it } from 'vitest'
import { notificationText, trayLabel } from '../../../../src/main/electron/shell-text'

describe('trayLabel', () => {
  it.each([
    [0, { tooltip: 'Earshot: nothing urgent waiting', title: '' }],
    [1, { tooltip: 'Earshot: 1 urgent mention waiting', title: '1' }],
    [3, { tooltip: 'Earshot: 3 urgent mentions waiting', title: '3' }],
    [999, { tooltip: 'Earshot: 999 urgent mentions waiting', title: '999' }],
    [1000, { tooltip: 'Earshot: 999+ urgent mentions waiting', title: '999+' }],
    [2.7, { tooltip: 'Earshot: 2 urgent mentions waiting', title: '2' }],
    [-4, { tooltip: 'Earshot: nothing urgent waiting', title: '' }],
    [NaN, { tooltip: 'Earshot: nothing urgent waiting', title: '' }],
    [Infinity, { tooltip: 'Earshot: nothing urgent waiting', title: '' }],
  ])('%s → %j', (count, expected) => {
    expect(trayLabel(count)).toEqual(expected)
  })
})

describe('notificationText', () => {
  const alert = { mentionId: 'hn:1', title: 'Ana on Hacker News', body: 'Refund <b>now</b> & fast' }

  it('passes text through on macOS and Windows', () => {
    expect(notificationText(alert, 'darwin')).toEqual({
      title: 'Ana on Hacker News',
      body: 'Refund <b>now</b> & fast',
    })
  })

  it('escapes the body on Linux, where servers read it as markup', () => {
    expect(
      notificationText(
        { ...alert, body: '<a href="https://evil.example">x</a> & <img src=x>' },
        'linux',
      ),
    ).toEqual({
      title: 'Ana on Hacker News',
      body: '&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; &lt;img src=x&gt;',
    })
  })

  it('removes controls, bidi overrides and line breaks, and caps the length', () => {
    const text = notificationText(
      { mentionId: 'x', title: 'A\u202eB\u0000C\nD', body: `${'word '.repeat(200)}\u2028end` },
      'win32',
    )
    expect(text.title).toBe('A B C D')
    expect(text.body).toHaveLength(300)
    expect(text.body.endsWith('…')).toBe(true)
    expect(text.body).not.toMatch(/[\n\u2028]/)
  })

  it('never shows an empty title', () => {
    expect(notificationText({ mentionId: 'x', title: '\u200b \n', body: '' }, 'darwin').title).toBe(
      'Earshot',
    )
  })
})
