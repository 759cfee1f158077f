import { getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { syntheticMention } from '../../../../bench/synthetic'
import type { QueueRow } from '../../../../src/renderer/src/db/queue-query'
import { queueColumns } from '../../../../src/renderer/src/features/queue/columns'
import { MentionRow } from '../../../../src/renderer/src/features/queue/MentionRow'
import { render, settle, testServices } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const rowOf = (n: number): QueueRow => {
  const mention = syntheticMention(n)
  return {
    mention,
    state: {
      id: mention.id,
      status: 'open',
      updatedAt: 1,
      createdAt: mention.createdAt,
      urgency: 10,
      directed: 1,
      intent: 'question',
      sentiment: 'neutral',
      sourceId: mention.sourceId,
      platform: mention.platform,
      authorId: mention.author.id,
      inbox: 1,
    },
  }
}

/** One grid row in one slot, showing the mention at `at`, as the grid reuses a slot on scroll. */
function OneSlot({ data }: { data: QueueRow[] }) {
  const [at, setAt] = useState(0)
  // eslint-disable-next-line react-hooks/incompatible-library -- a test stand-in for the grid
  const table = useReactTable({
    data,
    columns: queueColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.mention.id,
  })
  return (
    <>
      <button type="button" onClick={() => setAt(at + 1)}>
        scroll
      </button>
      <div role="grid" tabIndex={0} aria-label="Mentions">
        <MentionRow
          key="slot-0"
          position={at}
          top={at * 40}
          row={table.getRowModel().rows[at]}
          hidden=""
          selected={false}
          checked={false}
          onSelect={() => {}}
          onCheck={() => {}}
        />
      </div>
    </>
  )
}

describe('a reused grid row', () => {
  it('keeps its elements for the next mention, and gives up the focus of its tick box', async () => {
    const view = await render(<OneSlot data={[rowOf(1), rowOf(2)]} />, testServices().services)
    cleanup = view.unmount
    const author = () => view.container.querySelector('.cell--author')
    const before = author()
    expect(before?.textContent).toBe(rowOf(1).mention.author.name)
    view.container.querySelector<HTMLInputElement>('input[type="checkbox"]')!.focus()
    expect(document.activeElement?.getAttribute('type')).toBe('checkbox')

    await settle(() => view.container.querySelector('button')!.click())

    expect(author()).toBe(before)
    expect(author()?.textContent).toBe(rowOf(2).mention.author.name)
    // The tick box now belongs to another mention: Space must not tick that one.
    expect(document.activeElement?.getAttribute('role')).toBe('grid')
  })

  it("says a row is the brand's own post where others say directed or overheard", async () => {
    const own = rowOf(2)
    own.mention = { ...own.mention, triage: { ...own.mention.triage, own: true } }
    const view = await render(<OneSlot data={[rowOf(1), own]} />, testServices().services)
    cleanup = view.unmount
    const heardAs = () => view.container.querySelector('.cell--directed')?.textContent
    expect(heardAs()).toMatch(/^(Directed|Overheard)$/)
    await settle(() => view.container.querySelector('button')!.click())
    expect(heardAs()).toBe("Brand's own")
  })
})
