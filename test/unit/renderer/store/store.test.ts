import { describe, expect, it } from 'vitest'
import { MAX_TOASTS } from '../../../../src/renderer/src/store/notice-slice'
import { selectSelectedId, selectView } from '../../../../src/renderer/src/store/selectors'
import { createEarshotStore } from '../../../../src/renderer/src/store/store'
import type { SourceView } from '../../../../src/shared/domain'

const source = (id: string, name: string): SourceView => ({
  config: { id, name, kind: 'demo', paused: false, intervalSec: 60, createdAt: 0 },
  health: {
    state: 'live',
    lastSuccessAt: null,
    lastErrorAt: null,
    lastError: null,
    itemsTotal: 0,
    nextCheckAt: null,
    consecutiveFailures: 0,
  },
})

describe('the app store', () => {
  it('starts on the Inbox, sorted by time, nothing selected', () => {
    const state = createEarshotStore().getState()
    expect([state.screen, state.view, state.sort, state.selectedId]).toEqual([
      'queue',
      'inbox',
      'time',
      null,
    ])
  })

  it('builds an independent store each time', () => {
    const a = createEarshotStore()
    const b = createEarshotStore()
    a.getState().setView('done')
    expect(selectView(a.getState())).toBe('done')
    expect(selectView(b.getState())).toBe('inbox')
  })

  it('selects, and bumps the reveal counter only when asked', () => {
    const store = createEarshotStore()
    store.getState().select('demo:1')
    expect(store.getState().revealNonce).toBe(0)
    store.getState().select('demo:2', { reveal: true })
    expect(selectSelectedId(store.getState())).toBe('demo:2')
    expect(store.getState().revealNonce).toBe(1)
  })

  it('keeps the newest toasts, each with its own id', () => {
    const store = createEarshotStore()
    const ids = Array.from({ length: MAX_TOASTS + 2 }, (_, n) =>
      store.getState().pushToast({ title: `t${n}` }),
    )
    expect(new Set(ids).size).toBe(ids.length)
    expect(store.getState().toasts.map((t) => t.title)).toEqual(['t2', 't3', 't4'])
    store.getState().dismissToast(ids[3] ?? 0)
    expect(store.getState().toasts.map((t) => t.title)).toEqual(['t2', 't4'])
  })

  it('mirrors the source list: replace, upsert, drop', () => {
    const store = createEarshotStore()
    const { setSources, upsertSource, dropSource } = store.getState()
    setSources([source('demo', 'Demo')])
    upsertSource(source('demo', 'Demo renamed'))
    upsertSource(source('blog', 'Blog'))
    expect(store.getState().sources?.map((s) => s.config.name)).toEqual(['Demo renamed', 'Blog'])
    dropSource('demo')
    expect(store.getState().sources?.map((s) => s.config.id)).toEqual(['blog'])
  })

  it('records the sync status', () => {
    const store = createEarshotStore()
    store.getState().setSync({ kind: 'storage-full' })
    expect(store.getState().sync).toEqual({ kind: 'storage-full' })
  })
})
