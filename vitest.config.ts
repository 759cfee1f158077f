import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

/* Unit tests: Node for shared and main, happy-dom with fake-indexeddb for the renderer. The time
   limits only catch a hung test: a few tests store thousands of mentions in fake-indexeddb, which
   takes seconds, and several times that on a loaded two-core machine. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/shared/**/*.test.ts', 'test/unit/main/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
})
