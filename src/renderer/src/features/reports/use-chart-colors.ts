import { useSyncExternalStore } from 'react'

/** The palette charts draw with, read from the theme's CSS variables (SVG attributes cannot). */
export type ChartColors = {
  text: string
  grid: string
  surface: string
  negative: string
  neutral: string
  positive: string
  series: string[]
}

const SERIES = 8

function read(): ChartColors {
  const style = getComputedStyle(document.documentElement)
  const value = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return {
    text: value('--text-2', '#5b5b66'),
    grid: value('--border', '#e3e3e8'),
    surface: value('--surface', '#ffffff'),
    negative: value('--danger', '#cf3a3a'),
    neutral: value('--text-3', '#8b8b96'),
    positive: value('--ok', '#1d8a4a'),
    series: Array.from({ length: SERIES }, (_, index) =>
      value(`--chart-${index + 1}`, value('--accent', '#5552d9')),
    ),
  }
}

let cached: { key: string; colors: ChartColors } | null = null

function snapshot(): ChartColors {
  const key = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
  if (cached?.key !== key) cached = { key, colors: read() }
  return cached.colors
}

function subscribe(notify: () => void): () => void {
  const query = matchMedia('(prefers-color-scheme: dark)')
  query.addEventListener('change', notify)
  return () => query.removeEventListener('change', notify)
}

/** Chart colours for the current theme, updated when the system switches light and dark. */
export function useChartColors(): ChartColors {
  return useSyncExternalStore(subscribe, snapshot)
}
