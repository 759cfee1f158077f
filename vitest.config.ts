import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

/* Unit tests: Node for shared and main, happy-dom with fake-indexeddb for the renderer. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/shared/**/*.test.ts', 'test/unit/main/**/*.test.ts'],
          testTimeout: 15_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
})
