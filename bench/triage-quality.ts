/*
 * Triage quality against labelled posts: the raw `sentiment` package (sign of its score) vs
 * Earshot's sentiment, on negative vs not-negative macro-F1 (what decides who gets an answer first)
 * and three-class accuracy. Also how fast triage runs next to the raw package.
 *
 *   node --import tsx bench/triage-quality.ts [path/to/labelled.csv] [--errors] [--sweep]
 *
 * The CSV needs `text` and a label column (`airline_sentiment` or `sentiment`: negative, neutral,
 * positive) and may name the brand in `airline` or `brand`. It stays outside the repository.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Sentiment from 'sentiment'
import { triageText } from '../src/main/triage/index'
import { parseCsv } from '../src/shared/csv'
import type { BrandProfile, SentimentLabel } from '../src/shared/domain'

type Example = { text: string; gold: SentimentLabel; brand: string }
type Scores = { macroF1: number; precision: number; recall: number; accuracy3: number }

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const path = resolve(args.find((arg) => !arg.startsWith('--')) ?? resolve(here, '../../shared/eval/airline-mentions-dev.csv'))

function load(file: string): Example[] {
  return parseCsv(readFileSync(file, 'utf8')).flatMap((record) => {
    const gold = record['airline_sentiment'] ?? record['sentiment']
    const text = record['text']
    if (text === undefined || (gold !== 'negative' && gold !== 'neutral' && gold !== 'positive')) return []
    return [{ text, gold, brand: record['airline'] ?? record['brand'] ?? 'Brand' }]
  })
}

function evaluate(examples: readonly Example[], predicted: readonly SentimentLabel[]): Scores {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  let same = 0
  examples.forEach((example, i) => {
    const guess = predicted[i]
    if (guess === example.gold) same++
    const isNeg = example.gold === 'negative'
    const saysNeg = guess === 'negative'
    if (isNeg && saysNeg) tp++
    else if (!isNeg && saysNeg) fp++
    else if (isNeg && !saysNeg) fn++
    else tn++
  })
  const f1 = (t: number, f1p: number, f1n: number) => (t === 0 ? 0 : (2 * t) / (2 * t + f1p + f1n))
  return {
    macroF1: (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    accuracy3: same / examples.length,
  }
}

const profiles = new Map<string, BrandProfile>()
function profileFor(brand: string): BrandProfile {
  let profile = profiles.get(brand)
  if (!profile) {
    profile = { brand, handles: [], products: [], competitors: [], excluded: [] }
    profiles.set(brand, profile)
  }
  return profile
}

const fmt = (n: number) => n.toFixed(3)
const row = (name: string, s: Scores) =>
  `${name.padEnd(22)} macro-F1 ${fmt(s.macroF1)}  negative P ${fmt(s.precision)} R ${fmt(s.recall)}  3-class acc ${fmt(s.accuracy3)}`

function main(): void {
  if (!existsSync(path)) {
    console.log(`No labelled data at ${path}; nothing to measure (pass a CSV path to run).`)
    return
  }
  const examples = load(path)
  const raw = new Sentiment()
  const rawLabels = examples.map(({ text }): SentimentLabel => {
    const score = raw.analyze(text).score
    return score < 0 ? 'negative' : score > 0 ? 'positive' : 'neutral'
  })
  const ours = examples.map(({ text, brand }) => triageText(text, profileFor(brand)))
  const ourLabels = ours.map((triage) => triage.sentiment.label)

  console.log(`${examples.length} labelled posts from ${path}`)
  console.log(row('raw sentiment (sign)', evaluate(examples, rawLabels)))
  console.log(row('earshot', evaluate(examples, ourLabels)))

  if (args.includes('--sweep')) {
    for (const neg of [-0.5, -1, -1.5, -2, -2.5]) {
      const labels = ours.map(({ sentiment: { score } }): SentimentLabel =>
        score <= neg ? 'negative' : score >= 1 ? 'positive' : 'neutral',
      )
      console.log(row(`  negative at <= ${neg}`, evaluate(examples, labels)))
    }
  }
  if (args.includes('--errors')) {
    examples.forEach((example, i) => {
      const guess = ours[i]
      if (!guess || (guess.sentiment.label === 'negative') === (example.gold === 'negative')) return
      console.log(`${example.gold.slice(0, 3)} ${guess.sentiment.score} ${guess.sentiment.words.join(' ')} | ${example.text.replace(/\s+/g, ' ')}`)
    })
  }

  // Throughput: full triage (terms, sentiment, cues, urgency) next to the bare package.
  const rounds = Math.max(1, Math.ceil(20_000 / examples.length))
  const time = (run: (text: string, brand: string) => unknown) => {
    const start = performance.now()
    for (let r = 0; r < rounds; r++) for (const { text, brand } of examples) run(text, brand)
    return (rounds * examples.length) / ((performance.now() - start) / 1000)
  }
  time((text) => raw.analyze(text))
  time((text, brand) => triageText(text, profileFor(brand)))
  const rawRate = time((text) => raw.analyze(text))
  const ourRate = time((text, brand) => triageText(text, profileFor(brand)))
  console.log(
    `throughput: raw ${Math.round(rawRate)}/s, triage ${Math.round(ourRate)}/s, ratio ${(ourRate / rawRate).toFixed(2)} (want >= 0.5)`,
  )
}

main()
