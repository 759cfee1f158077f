/*
 * Triage quality against labelled posts: the raw `sentiment` package (sign of its score) vs
 * Earshot's triage, on negative vs not-negative macro-F1 (what decides who gets an answer first)
 * and three-class accuracy; then how fast full triage runs next to the bare package.
 *
 *   node --import tsx bench/triage-quality.ts [path/to/labelled.csv] [--sweep] [--errors]
 *
 * The CSV needs `text` and a label column (`airline_sentiment` or `sentiment`: negative, neutral,
 * positive) and may name the brand in `airline` or `brand`. It stays outside the repository: the
 * default is ../shared/eval/airline-mentions-dev.csv beside the checkout. `--sweep` shows other
 * negative thresholds; `--errors` lists the posts we get wrong, for calibration by hand.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import Sentiment from 'sentiment'
import { triageText } from '../src/main/triage/index'
import { LABEL_THRESHOLDS } from '../src/main/triage/sentiment'
import { parseCsv } from '../src/shared/csv'
import type { BrandProfile, SentimentLabel, Triage } from '../src/shared/domain'

type Example = { text: string; gold: SentimentLabel; brand: string }
type Scores = { macroF1: number; precision: number; recall: number; accuracy3: number }

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const defaultPath = resolve(here, '../../shared/eval/airline-mentions-dev.csv')
const path = resolve(args.find((arg) => !arg.startsWith('--')) ?? defaultPath)

function load(file: string): Example[] {
  return parseCsv(readFileSync(file, 'utf8')).flatMap((record) => {
    const gold = record['airline_sentiment'] ?? record['sentiment']
    const text = record['text']
    if (text === undefined) return []
    if (gold !== 'negative' && gold !== 'neutral' && gold !== 'positive') return []
    return [{ text, gold, brand: record['airline'] ?? record['brand'] ?? 'Brand' }]
  })
}

const f1 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn))

function evaluate(examples: readonly Example[], predicted: readonly SentimentLabel[]): Scores {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  let same = 0
  examples.forEach((example, i) => {
    const guess = predicted[i]
    if (guess === example.gold) same++
    const isNegative = example.gold === 'negative'
    const saysNegative = guess === 'negative'
    if (isNegative && saysNegative) tp++
    else if (saysNegative) fp++
    else if (isNegative) fn++
    else tn++
  })
  return {
    // Mean of F1(negative) and F1(not negative): both kinds of mistake count.
    macroF1: (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    accuracy3: same / examples.length,
  }
}

// The brand is known in production, so the bench gives triage the same: its name is not a feeling.
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
const line = (name: string, s: Scores) =>
  `${name.padEnd(24)} macro-F1 ${fmt(s.macroF1)}  negative P ${fmt(s.precision)} R ${fmt(s.recall)}  3-class acc ${fmt(s.accuracy3)}`

function sweep(examples: readonly Example[], ours: readonly Triage[]): void {
  for (const threshold of [-0.5, -1, -1.5, -2, -3]) {
    const labels = ours.map(({ sentiment: { score } }): SentimentLabel => {
      if (score <= threshold) return 'negative'
      return score >= LABEL_THRESHOLDS.positive ? 'positive' : 'neutral'
    })
    console.log(line(`  negative at <= ${threshold}`, evaluate(examples, labels)))
  }
}

function listErrors(examples: readonly Example[], ours: readonly Triage[]): void {
  examples.forEach((example, i) => {
    const guess = ours[i]?.sentiment
    if (!guess || (guess.label === 'negative') === (example.gold === 'negative')) return
    const text = example.text.replace(/\s+/g, ' ')
    console.log(`${example.gold.slice(0, 3)} ${guess.score} ${guess.words.join(' ')} | ${text}`)
  })
}

function throughput(examples: readonly Example[], raw: Sentiment): void {
  // Rounds alternate and the best of each counts, so a busy machine or a late JIT picks no winner.
  const pass = (run: (text: string, brand: string) => unknown) => {
    const start = performance.now()
    for (let r = 0; r < 8; r++) for (const { text, brand } of examples) run(text, brand)
    return (8 * examples.length) / ((performance.now() - start) / 1000)
  }
  const analyzeRaw = (text: string) => raw.analyze(text)
  const triage = (text: string, brand: string) => triageText(text, profileFor(brand))
  let rawRate = 0
  let ourRate = 0
  for (let round = 0; round < 7; round++) {
    rawRate = Math.max(rawRate, pass(analyzeRaw))
    ourRate = Math.max(ourRate, pass(triage))
  }
  const ratio = (ourRate / rawRate).toFixed(2)
  console.log(
    `throughput: sentiment.analyze ${Math.round(rawRate)}/s, full triage ${Math.round(ourRate)}/s, ratio ${ratio} (want >= 0.5)`,
  )
}

function main(): void {
  if (!existsSync(path)) {
    console.log(`No labelled data at ${path}; nothing to measure. Pass a CSV path to run.`)
    return
  }
  const examples = load(path)
  const raw = new Sentiment()
  const rawLabels = examples.map(({ text }): SentimentLabel => {
    const score = raw.analyze(text).score
    return score < 0 ? 'negative' : score > 0 ? 'positive' : 'neutral'
  })
  const ours = examples.map(({ text, brand }) => triageText(text, profileFor(brand)))

  console.log(`${examples.length} labelled posts from ${path}`)
  console.log(line('raw sentiment (sign)', evaluate(examples, rawLabels)))
  console.log(
    line(
      'earshot',
      evaluate(
        examples,
        ours.map((t) => t.sentiment.label),
      ),
    ),
  )
  if (args.includes('--sweep')) sweep(examples, ours)
  if (args.includes('--errors')) listErrors(examples, ours)
  throughput(examples, raw)
}

main()
