import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie'

/**
 * A Dexie middleware that sees every write to one table, whoever makes it (a transaction, a
 * `put`, an upgrade, a restore's clear): `mutate` stands in for the table's own, which it gets as
 * `down` and must call. Install with `db.use` before the database opens.
 */
export function watchWrites(
  name: string,
  tableName: string,
  mutate: (
    request: DBCoreMutateRequest,
    down: (request: DBCoreMutateRequest) => Promise<DBCoreMutateResponse>,
  ) => Promise<DBCoreMutateResponse>,
): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name,
    create: (core) => ({
      ...core,
      table(table) {
        const inner = core.table(table)
        if (table !== tableName) return inner
        return { ...inner, mutate: (request) => mutate(request, (r) => inner.mutate(r)) }
      },
    }),
  }
}
