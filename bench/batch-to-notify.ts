import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAlerting } from '../src/main/alerts/alerting'
import { openJournal } from '../src/main/journal/journal'
import { silentLogger } from '../src/main/log'
import { createQueryFilter } from '../src/main/sources/query'
import { createTriage } from '../src/main/triage/index'
import type { BrandProfile, HeardMention, Mention } from '../src/shared/domain'
import type { Figure } from './results'
import { syntheticMention } from './synthetic'

/*
 * From a polled batch arriving in core to the notify port being called, through the same steps
 * core's `onPolled` takes: the brand filter, triage, the fsync'd journal append, the batch event,
 * then the notification policy and the spike detector. The urgent post is last in each batch, so
 * the whole batch is scored before it can notify. Baseline, same run: triage alone of that batch.
 */

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'x', handle: '@acme' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

const BATCHES = 300
const BATCH_SIZE = 20
const WARM_UP = 20

const urgentText =
  '@acme I was charged twice, still no refund after three weeks. Worst service ever, my lawyer is next.'

function heardBatch(index: number): HeardMention[] {
  const batch: HeardMention[] = []
  for (let i = 0; i < BATCH_SIZE; i++) {
    const heard: HeardMention = { ...syntheticMention(index * BATCH_SIZE + i) }
    // What a connector hands over carries no triage yet.
    Reflect.deleteProperty(heard, 'triage')
    batch.push(i === BATCH_SIZE - 1 ? { ...heard, text: urgentText } : heard)
  }
  return batch
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

export async function batchToNotifyBenchmark(): Promise<{ figures: Figure[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'earshot-bench-notify-'))
  try {
    const getProfile = () => profile
    const wanted = createQueryFilter(getProfile)
    const triage = createTriage(getProfile)
    const journal = await openJournal({
      journalPath: join(dir, 'journal.jsonl'),
      statePath: join(dir, 'delivery.json'),
      logger: silentLogger,
    })
    let notifiedAt = 0
    const alerting = createAlerting({
      dataDir: dir,
      logger: silentLogger,
      getProfile,
      notify: () => {
        notifiedAt ||= performance.now()
      },
    })
    await alerting.start()
    const emitted: Mention[][] = []

    const toNotify: number[] = []
    const triageOnly: number[] = []
    for (let b = 0; b < BATCHES + WARM_UP; b++) {
      const heard = heardBatch(b)
      // Baseline: the same batch scored, nothing else.
      const t0 = performance.now()
      const scoredOnly = heard.filter(wanted).map((m) => triage.score(m, m.fetchedAt))
      const t1 = performance.now()
      if (scoredOnly.length !== BATCH_SIZE) throw new Error('The brand filter dropped posts')

      notifiedAt = 0
      const arrived = performance.now()
      const mentions = heard.filter(wanted).map((m) => triage.score(m, m.fetchedAt))
      await journal.append('bench-forum', { n: b }, mentions)
      emitted.push(mentions)
      if (emitted.length > 4) emitted.shift()
      alerting.onBatch(mentions)
      if (notifiedAt === 0) throw new Error('The urgent post did not notify')
      if (b >= WARM_UP) {
        toNotify.push(notifiedAt - arrived)
        triageOnly.push(t1 - t0)
      }
      await alerting.acknowledge(mentions.at(-1)?.id ?? '')
    }
    await alerting.stop()
    await journal.close()

    const sortedNotify = [...toNotify].sort((a, b) => a - b)
    const sortedTriage = [...triageOnly].sort((a, b) => a - b)
    const median = quantile(sortedNotify, 0.5)
    const p95 = quantile(sortedNotify, 0.95)
    const triageMedian = quantile(sortedTriage, 0.5)
    return {
      figures: [
        {
          name: 'batch_to_notify_ms',
          value: median,
          unit: 'ms',
          target: '< 100',
          met: median < 100 && p95 < 100,
          note: `median of ${BATCHES} batches of ${BATCH_SIZE} (p95 ${p95.toFixed(2)} ms): filter, triage, fsync'd journal append, policy and spike detector, until notify; triage alone of the same batch ${triageMedian.toFixed(2)} ms median, so ${(median / triageMedian).toFixed(1)}× triage`,
        },
      ],
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
