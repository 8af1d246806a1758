import type { Router } from 'express';
import { notFound } from '../../infra/json-errors.js';

// The read routes every admin collection has, written once: a list answered as `{ items }`, and one record by its
// path parameters, 404 when it does not exist.

/** GET `path` answers `{ items }` with everything `list` returns. */
export function listRoute(r: Router, path: string, list: () => Promise<unknown[]>): void {
  r.get(path, async (_req, res) => {
    res.json({ items: await list() });
  });
}

/** GET `path` answers the record `find` returns for the request's path parameters; 404 naming `what` when none. */
export function showRoute(r: Router, path: string, what: string, find: (params: unknown) => Promise<unknown>): void {
  r.get(path, async (req, res) => {
    const found = await find(req.params);
    if (!found) throw notFound(what);
    res.json(found);
  });
}
