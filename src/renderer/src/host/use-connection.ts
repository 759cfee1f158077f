import { useSyncExternalStore } from 'react'
import { useServices } from '../services'
import type { ConnectionState } from './connection'

export function useConnection(): ConnectionState {
  const { connection } = useServices().client
  return useSyncExternalStore(connection.subscribe, connection.get)
}
