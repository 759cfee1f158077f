import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { latestVersion, versions } from '../../../../src/renderer/src/db/versions'

const uniqueName = () => `earshot-migrate-${Math.random().toString(36).slice(2)}`

describe('schema versions', () => {
  it('is an append-only list numbered 1, 2, ...', () => {
    expect(versions.map((entry) => entry.version)).toEqual(
      Array.from({ length: versions.length }, (_, index) => index + 1),
    )
    expect(latestVersion()).toBe(versions.length)
  })

  it('v1 has the indexes every queue view reads', async () => {
    const db = openDatabase(uniqueName())
    await db.open()
    const indexes = (table: string) => db.table(table).schema.indexes.map((index) => index.name)
    expect(indexes('mentions')).toEqual([])
    expect(indexes('states')).toEqual([
      'createdAt',
      '[urgency+createdAt]',
      '[status+createdAt]',
      '[status+urgency+createdAt]',
    ])
    expect(db.table('meta').schema.primKey.keyPath).toBe('key')
    db.close()
  })
})
