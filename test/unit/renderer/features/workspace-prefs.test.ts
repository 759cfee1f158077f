import { afterEach, describe, expect, it } from 'vitest'
import { columnTemplate } from '../../../../src/renderer/src/features/queue/columns'
import {
  deleteSavedView,
  loadColumnPrefs,
  loadSavedViews,
  saveColumnPrefs,
  saveView,
} from '../../../../src/renderer/src/features/workspace/prefs'

afterEach(() => localStorage.clear())

describe('saved views', () => {
  it('are kept by name across reads, replaced by the same name, and deleted', () => {
    saveView({ name: 'Angry', view: 'inbox', sort: 'urgency', filters: { sentiment: 'negative' } })
    saveView({ name: 'Ana', view: 'all', sort: 'time', filters: { authorId: 'x:ana' } })
    saveView({ name: 'Angry', view: 'urgent', sort: 'time', filters: { sentiment: 'negative' } })
    expect(loadSavedViews()).toEqual([
      { name: 'Ana', view: 'all', sort: 'time', filters: { authorId: 'x:ana' } },
      { name: 'Angry', view: 'urgent', sort: 'time', filters: { sentiment: 'negative' } },
    ])
    expect(deleteSavedView('Ana').map((view) => view.name)).toEqual(['Angry'])
  })

  it('ignore a damaged entry rather than trusting it', () => {
    localStorage.setItem('earshot.savedViews', '[{"name":"x","view":"nowhere"}]')
    expect(loadSavedViews()).toEqual([])
    localStorage.setItem('earshot.savedViews', 'not json')
    expect(loadSavedViews()).toEqual([])
  })
})

describe('columns', () => {
  it('remember which are hidden and how wide each is', () => {
    saveColumnPrefs({ hidden: ['directed'], widths: { author: 200 } })
    expect(loadColumnPrefs()).toEqual({ hidden: ['directed'], widths: { author: 200 } })
    localStorage.setItem('earshot.columns', '{"hidden":"all"}')
    expect(loadColumnPrefs()).toEqual({ hidden: [], widths: {} })
  })

  it('lay out the tick box, then every visible column at its width', () => {
    const template = columnTemplate({
      hidden: ['directed', 'status'],
      widths: { author: 200, text: 300 },
    })
    // Tick box, time, source, author, text, sentiment, intent, urgency.
    expect(template).toBe('24px 52px 104px 200px minmax(300px, 1fr) 116px 84px 76px')
  })
})
