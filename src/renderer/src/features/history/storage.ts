/** What this browser profile holds for Earshot and how much it may hold. */
export type StorageInfo = {
  usage: number
  quota: number
  /** True when the browser promised not to evict the history under storage pressure. */
  persisted: boolean | null
}

/** Above this share of the quota the History screen warns. */
export const WARN_AT = 0.8

type StorageManagerLike = {
  persisted?: () => Promise<boolean>
  estimate?: () => Promise<{ usage?: number; quota?: number }>
}

const manager = (): StorageManagerLike | undefined =>
  (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage

/** Usage and quota, or null where the browser does not say. */
export async function readStorage(): Promise<StorageInfo | null> {
  const api = manager()
  if (!api?.estimate) return null
  const { usage, quota } = await api.estimate()
  if (usage === undefined || quota === undefined || quota <= 0) return null
  return { usage, quota, persisted: api.persisted ? await api.persisted() : null }
}

export const nearQuota = (info: StorageInfo): boolean => info.usage / info.quota >= WARN_AT

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0
    ? `${value} bytes`
    : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** "1.2 GB of 60 GB (2 %)" */
export function describeStorage(info: StorageInfo): string {
  const share = Math.round((info.usage / info.quota) * 100)
  return `${formatBytes(info.usage)} of ${formatBytes(info.quota)} used (${share} %)`
}
