import type { Stage } from '../domain/stages';
import type { Store } from '.';
import { byId } from './byId';

/**
 * The proposals in any of `stages`, by case number, of each the `fields` asked for. One
 * equality query a stage, merged here: FerretDB v1 hands PostgreSQL neither `$in` nor
 * `$nin` nor `$or`, so a single query would read every proposal of every year; an
 * equality on `stage` uses its index.
 */
export async function proposalsInStages(store: Store, stages: readonly Stage[], fields: Record<string, 0 | 1>) {
  const byStage = await Promise.all(stages.map((stage) => store.proposals.find({ stage }, fields).lean()));
  return byStage.flat().sort(byId);
}
