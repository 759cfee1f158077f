import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openHealthFile } from '../../../../src/main/journal/health-file'
import { silentLogger } from '../../../../src/main/log'
import { newRateModel, observePoll } from '../../../../src/main/sources/source-rate'
import { initialHealth } from '../../../../src/main/sources/poller'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-health-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the health file', () => {
  it('keeps each source rate model across a restart, and forgets a removed one', async () => {
    const path = join(dir, 'health.json')
    const rate = observePoll(observePoll(newRateModel(1_000), 0, 1_000), 3, 3_601_000)
    const first = await openHealthFile(path, silentLogger, 60_000)
    first.update('blog', { ...initialHealth(false), itemsTotal: 3, usualPerHour: 3 })
    first.updateRate('blog', rate)
    first.updateRate('gone', rate)
    first.updateRate('gone', null)
    await first.flush()

    const second = await openHealthFile(path, silentLogger, 60_000)
    expect(second.problem).toBeNull()
    expect(second.savedRate('blog')).toEqual(rate)
    expect(second.savedRate('gone')).toBeUndefined()
    expect(second.saved('blog')?.usualPerHour).toBe(3)
  })

  it('reads a file without rates, and never drops health over a broken rate', async () => {
    const path = join(dir, 'health.json')
    const health = { ...initialHealth(false), itemsTotal: 7 }
    await writeFile(path, JSON.stringify({ version: 1, health: { blog: health } }))
    const old = await openHealthFile(path, silentLogger, 60_000)
    expect(old.saved('blog')?.itemsTotal).toBe(7)
    expect(old.savedRate('blog')).toBeUndefined()

    await writeFile(
      path,
      JSON.stringify({ version: 1, health: { blog: health }, rates: { blog: { since: 'x' } } }),
    )
    const broken = await openHealthFile(path, silentLogger, 60_000)
    expect(broken.problem).toBeNull()
    expect(broken.saved('blog')?.itemsTotal).toBe(7)
    expect(broken.savedRate('blog')).toBeUndefined()
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ version: 1 })
  })
})
