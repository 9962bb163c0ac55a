import fc from 'fast-check';
import { it } from 'vitest';
import { z } from 'zod';
import { REST_ROUTES } from '../../src/rest/routes.js';
import { jsonSchemaArbitrary } from './support/json-schema-arbitrary.js';
it('scratch', async () => {
  const route = REST_ROUTES.find((r) => r.path === '/api/v1/leads' && r.method === 'POST')!;
  const schema = z.toJSONSchema(route.operation.input, { io: 'input', unrepresentable: 'any' });
  for (const v of fc.sample(jsonSchemaArbitrary(schema as never), { seed: 1515, numRuns: 12 })) console.log(JSON.stringify(v).slice(0, 200));
});
