import { describe, expect, it } from 'vitest';
import { microBatch } from '../../src/db/micro-batch.js';

/** A batch runner that records the batches it was given. */
function recording<O>(answer: (item: string) => O, fail?: (items: readonly string[]) => boolean) {
  const batches: string[][] = [];
  const run = async (items: readonly string[]) => {
    batches.push([...items]);
    if (fail?.(items)) throw new Error(`failed: ${items.join(',')}`);
    return items.map(answer);
  };
  return { batches, run };
}

describe('microBatch', () => {
  it('serves the calls of one turn of the event loop with one run, each with its own result', async () => {
    const { batches, run } = recording((item) => item.toUpperCase());
    const call = microBatch(run, { maxSize: 10 });
    expect(await Promise.all([call('a'), call('b'), call('c')])).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('runs a lone call at once, without waiting for company', async () => {
    const { batches, run } = recording((item) => item);
    const call = microBatch(run, { maxSize: 10 });
    expect(await call('alone')).toBe('alone');
    expect(await call('next')).toBe('next');
    expect(batches).toEqual([['alone'], ['next']]);
  });

  it('never puts more than maxSize calls in one run', async () => {
    const { batches, run } = recording((item) => item);
    const call = microBatch(run, { maxSize: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(call));
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps calls with the same key in separate runs', async () => {
    const { batches, run } = recording((item) => item);
    const call = microBatch(run, { maxSize: 10, keyOf: (item) => item[0]! });
    await Promise.all(['a1', 'b1', 'a2', 'c1', 'a3'].map(call));
    expect(batches).toEqual([['a1', 'b1', 'c1'], ['a2'], ['a3']]);
  });

  it('splits a failed batch: each call runs again alone, and only the bad one fails', async () => {
    const { batches, run } = recording(
      (item) => item,
      (items) => items.includes('bad'),
    );
    const call = microBatch(run, { maxSize: 10 });
    const results = await Promise.allSettled([call('a'), call('bad'), call('b')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('failed: bad'));
    expect(batches[0]).toEqual(['a', 'bad', 'b']);
    expect(batches.slice(1).sort()).toEqual([['a'], ['b'], ['bad']]);
  });

  it('with maxRunning, holds the calls that arrive while a run is busy and serves them together next', async () => {
    const batches: string[][] = [];
    let release = () => {};
    const busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    const call = microBatch(
      async (items: readonly string[]) => {
        batches.push([...items]);
        if (items.includes('first')) await busy;
        return items;
      },
      { maxSize: 10, maxRunning: 1 },
    );
    const first = call('first');
    await new Promise((resolve) => setImmediate(resolve));
    const later = [call('a'), call('b')];
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const c = call('c');
    expect(batches).toEqual([['first']]);
    release();
    expect(await Promise.all([first, ...later, c])).toEqual(['first', 'a', 'b', 'c']);
    expect(batches).toEqual([['first'], ['a', 'b', 'c']]);
  });

  it('treats a run that answers for the wrong number of calls as failed', async () => {
    const call = microBatch(async (items: readonly string[]) => (items.length > 1 ? [] : items), { maxSize: 10 });
    expect(await Promise.all([call('a'), call('b')])).toEqual(['a', 'b']);
  });
});
