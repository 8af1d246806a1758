import pg from 'pg';

export type Pool = pg.Pool;
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * Every parameterised statement runs as a named prepared statement: each connection parses it once and PostgreSQL can
 * keep its plan, where an unnamed one is parsed and planned again on every call (measured on the delivery path:
 * planning took about as long as executing). Names come from the text, one per distinct text in this process, so a
 * name always means the same statement; our texts are constants or built from a few fixed parts, and a cap keeps
 * any text beyond it unnamed, so no connection accumulates statements without bound. Statements without parameters
 * (BEGIN, COMMIT, DDL) stay simple queries.
 */
const MAX_NAMED_STATEMENTS = 400;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `q${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

class PreparingClient extends pg.Client {}
const plainQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(PreparingClient.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
): unknown {
  const [text, values, ...rest] = args;
  if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
    const name = statementName(text);
    if (name !== undefined) return plainQuery.call(this, { name, text, values }, ...rest);
  }
  return plainQuery.apply(this, args);
};

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, Client: PreparingClient });
  // An idle client losing its connection (database restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs fn in one transaction on one client. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The readiness probe: whether the database answers a trivial query. */
export async function databaseAnswers(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1')).rowCount === 1;
}
