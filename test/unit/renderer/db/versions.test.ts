import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { latestVersion, versions } from '../../../../src/renderer/src/db/versions'
import { mention } from '../fixtures'

const uniqueName = () => `earshot-migrate-${Math.random().toString(36).slice(2)}`

describe('schema versions', () => {
  it('is an append-only list numbered 1, 2, ...', () => {
    expect(versions.map((entry) => entry.version)).toEqual(
      Array.from({ length: versions.length }, (_, index) => index + 1),
    )
    expect(latestVersion()).toBe(versions.length)
  })

  it('v1 → v2 keeps every row and copies the sort keys onto each state', async () => {
    const name = uniqueName()
    const v1 = openDatabase(name, { versions: versions.slice(0, 1) })
    const rows = [mention(1), mention(2), mention(3)]
    await v1.mentions.bulkPut(rows)
    // v1 state rows, as v1 wrote them: no sort keys.
    await v1.table('states').bulkPut([
      { id: 'demo:1', status: 'done', updatedAt: 7, doneAt: 7 },
      { id: 'demo:2', status: 'open', updatedAt: 8 },
      { id: 'demo:3', status: 'open', updatedAt: 9 },
    ])
    await v1.meta.put({ key: 'lastSeq', value: 12 })
    v1.close()

    const v2 = openDatabase(name)
    await v2.open()
    expect(v2.verno).toBe(2)
    expect(await v2.mentions.toArray()).toEqual(rows)
    expect(await v2.meta.get('lastSeq')).toEqual({ key: 'lastSeq', value: 12 })
    expect(await v2.states.get('demo:1')).toEqual({
      id: 'demo:1',
      status: 'done',
      updatedAt: 7,
      doneAt: 7,
      createdAt: rows[0]?.createdAt,
      urgency: rows[0]?.triage.urgency,
    })
    expect(
      await v2.states.where('[status+createdAt]').between(['open', 0], ['open', Infinity]).count(),
    ).toBe(2)
    v2.close()
  })

  it('v2 has the indexes every queue view reads', async () => {
    const db = openDatabase(uniqueName())
    await db.open()
    const indexes = (table: string) => db.table(table).schema.indexes.map((index) => index.name)
    expect(indexes('mentions')).toEqual([
      'createdAt',
      'sourceId',
      'platform',
      'triage.urgency',
      'author.id',
    ])
    expect(indexes('states')).toEqual([
      'status',
      'updatedAt',
      'createdAt',
      '[urgency+createdAt]',
      '[status+createdAt]',
      '[status+urgency+createdAt]',
    ])
    expect(db.table('meta').schema.primKey.keyPath).toBe('key')
    db.close()
  })
})
