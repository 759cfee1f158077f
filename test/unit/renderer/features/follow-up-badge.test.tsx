import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ResponderState } from '../../../../src/renderer/src/db/database'
import { stateFor } from '../../../../src/renderer/src/db/state-keys'
import { queueColumns } from '../../../../src/renderer/src/features/queue/columns'
import { mention } from '../fixtures'
import { render, testServices } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const shown = mention(2)
const textCell = queueColumns.find((column) => column.id === 'text')?.cell as (info: {
  row: { original: { mention: typeof shown; state: ResponderState } }
}) => ReactNode

async function rowText(state: ResponderState) {
  const view = await render(
    <>{textCell({ row: { original: { mention: shown, state } } })}</>,
    testServices().services,
  )
  cleanup = view.unmount
  return view.container.textContent
}

describe('the "follow-up due" badge in the queue', () => {
  it('shows on a row waiting on a department past its follow-up time', async () => {
    const state = stateFor(shown, {
      status: 'waiting',
      updatedAt: 1,
      department: 'PR',
      followUpAt: Date.now() - 1000,
    })
    expect(await rowText(state)).toBe('Follow-up dueMention number 2')
  })

  it('does not show before the time, or once the mention no longer waits', async () => {
    const later = stateFor(shown, {
      status: 'waiting',
      updatedAt: 1,
      department: 'PR',
      followUpAt: Date.now() + 3_600_000,
    })
    expect(await rowText(later)).toBe('Mention number 2')
    cleanup?.()
    const closed = stateFor(shown, { status: 'done', updatedAt: 1, followUpAt: Date.now() - 1000 })
    expect(await rowText(closed)).toBe('Mention number 2')
  })
})
