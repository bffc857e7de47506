import fs from 'node:fs';
import path from 'node:path';
import { useTestApi } from '../helpers/api';

// The served OpenAPI shows the Kazakhstan station's published contract for /api/v2/shoes/*, and the copy the server reads is that spec.
const ctx = useTestApi();
const SHARED = path.resolve(__dirname, '../../../shared/oms/kz-oms-api-v2.swagger.json');
type Json = Record<string, any>;

test('the server’s copy of the spec is the published one, byte for byte', () => {
  expect(fs.readFileSync(path.resolve(__dirname, '../../api/http/order-station/kz-oms-api-v2.swagger.json'))).toEqual(
    fs.readFileSync(SHARED),
  );
});

test('/docs/json has every footwear operation with the spec’s parameters, body and answer schemas, under the spec’s names', async () => {
  const spec: Json = JSON.parse(fs.readFileSync(SHARED, 'utf8'));
  const served: Json = (await ctx.api.request('GET', '/docs/json')).body;
  const problems: string[] = [];
  for (const [p, operations] of Object.entries(spec.paths as Json).filter(([p]) => p.startsWith('/api/v2/shoes/'))) {
    for (const [method, op] of Object.entries(operations as Json)) {
      const mine = served.paths[p]?.[method];
      if (!mine) {
        problems.push(`${method} ${p}: not served`);
        continue;
      }
      const query = ((op.parameters ?? []) as Json[])
        .filter((q) => q.in === 'query')
        .map((q) => `${q.name}${q.required ? '*' : ''}`)
        .sort();
      const servedQuery = ((mine.parameters ?? []) as Json[])
        .filter((q) => q.in === 'query')
        .map((q) => `${q.name}${q.required ? '*' : ''}`)
        .sort();
      if (JSON.stringify(query) !== JSON.stringify(servedQuery))
        problems.push(`${method} ${p}: query ${servedQuery} ≠ ${query}`);
      const body = ((op.parameters ?? []) as Json[]).find((q) => q.in === 'body');
      if (
        body &&
        mine.requestBody?.content?.['application/json']?.schema?.$ref !==
          body.schema.$ref.replace('#/definitions/', '#/components/schemas/')
      )
        problems.push(`${method} ${p}: body is not ${body.schema.$ref}`);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        const schema = mine.responses?.[status]?.content?.['application/json']?.schema;
        if (!schema) problems.push(`${method} ${p} ${status}: not declared`);
        else if (
          response.schema?.$ref &&
          schema.$ref !== response.schema.$ref.replace('#/definitions/', '#/components/schemas/') &&
          schema.title !== response.schema.$ref.replace('#/definitions/', '')
        ) {
          problems.push(`${method} ${p} ${status}: ${schema.$ref ?? schema.title} is not ${response.schema.$ref}`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
  for (const name of [
    'OrderDtoShoesKZ',
    'OrderProductShoesKZ',
    'BufferInfo',
    'PoolInfo',
    'CodesDto',
    'RestResult',
    'AggregationReportDtoShoesKZ',
    'ReportStatusDto',
    'ReceiptsDto',
  ]) {
    const published = spec.definitions[name];
    const mine = served.components.schemas[name];
    expect({
      name,
      required: mine?.required ?? [],
      properties: Object.fromEntries(Object.keys(published.properties).map((k) => [k, mine?.properties?.[k]?.type])),
    }).toEqual({
      name,
      required: published.required ?? [],
      properties: Object.fromEntries(Object.entries(published.properties as Json).map(([k, v]) => [k, v.type])),
    });
  }
});
