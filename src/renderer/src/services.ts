import { createContext, use } from 'react'
import type { EarshotDb } from './db/database'
import type { Sync } from './db/sync'
import type { HostClient } from './host/connection'
import type { EarshotStore } from './store/store'

/** Everything a feature needs from outside React, created once in main.tsx (fresh in tests). */
export type Services = {
  client: HostClient
  db: EarshotDb
  store: EarshotStore
  sync: Sync | null
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const services = use(ServicesContext)
  if (!services) throw new Error('useServices needs a ServicesContext provider')
  return services
}
