import spec from './kz-oms-api-v2.swagger.json';

/**
 * The Kazakhstan order station's published Swagger 2.0 (suzcloud.stage.ismet.kz, 2022-2023),
 * kept verbatim beside this file: the contract with integrators' software. The footwear
 * operations (`/api/v2/shoes/*`) take their parameters, bodies and answers from it, so the
 * served OpenAPI shows the same schemas an integrator generated a client from.
 */

type Json = Record<string, any>;

const definitions = spec.definitions as Record<string, Json>;
const paths = spec.paths as Record<string, Record<string, Json>>;

export const SHOES = '/api/v2/shoes';

/** Swagger 2.0 schema → JSON Schema as Fastify's Ajv and OpenAPI 3.1 read it. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'xml' || key === 'allowEmptyValue') continue;
    // draft-04 booleans; `false` is the default, so dropping them changes nothing.
    if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'boolean') continue;
    if (key === 'example') {
      out.examples = [value];
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = `${value.replace('#/definitions/', '')}#`;
      continue;
    }
    out[key] = convert(value);
  }
  return out;
}

/** Members this station adds to a spec definition (allowed: the spec's objects are open). */
const DEFINITION_EXTENSIONS: Record<string, Json> = {
  RestResult: {
    code: {
      type: 'string',
      description:
        'Extension: the machine code of the error (e.g. BUFFER_EXHAUSTED), the same as on the rest of this API',
    },
    requestId: { type: 'string', description: 'Extension: the request id to quote to support' },
  },
};

/** The definitions the footwear operations use, each with its spec name as `$id`. */
export function shoesDefinitions(): Json[] {
  const names = new Set<string>();
  const visit = (node: unknown) => {
    JSON.stringify(node, (key, value) => {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.replace('#/definitions/', '');
        if (!names.has(name)) {
          names.add(name);
          visit(definitions[name]);
        }
      }
      return value;
    });
  };
  for (const [path, operations] of Object.entries(paths)) if (path.startsWith(`${SHOES}/`)) visit(operations);
  return [...names].sort().map((name) => {
    const schema: Json = { $id: name, ...(convert(definitions[name]) as Json) };
    return DEFINITION_EXTENSIONS[name]
      ? { ...schema, properties: { ...schema.properties, ...DEFINITION_EXTENSIONS[name] } }
      : schema;
  });
}

/** A reference to a spec definition, optionally with this project's extension fields beside it. */
export function specRef(name: string, extensions?: Json): Json {
  if (!extensions) return { $ref: `${name}#` };
  const base = convert(definitions[name]) as Json;
  return { ...base, title: name, properties: { ...base.properties, ...extensions } };
}

function operation(method: string, path: string): Json {
  const op = paths[`${SHOES}${path}`]?.[method];
  if (!op) throw new Error(`no operation ${method.toUpperCase()} ${SHOES}${path} in the station's spec`);
  return op;
}

/** The operation's query parameters as one object schema; unknown parameters are ignored, as the station does. */
export function specQuery(method: string, path: string): Json {
  const params = (operation(method, path).parameters ?? []).filter((p: Json) => p.in === 'query');
  const properties: Json = {};
  for (const p of params) {
    properties[p.name] = convert({
      type: p.type,
      ...(p.format ? { format: p.format } : {}),
      ...(p.default !== undefined ? { default: p.default } : {}),
      description: p.description,
    });
    if (p.type === 'integer' && p.format === 'int32')
      Object.assign(properties[p.name], { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 });
  }
  return { type: 'object', properties, required: params.filter((p: Json) => p.required).map((p: Json) => p.name) };
}

/** The body schema of an operation that has one. */
export function specBody(method: string, path: string): Json {
  const body = (operation(method, path).parameters ?? []).find((p: Json) => p.in === 'body');
  if (!body) throw new Error(`${method.toUpperCase()} ${SHOES}${path} has no body in the station's spec`);
  return convert(body.schema) as Json;
}

/** Summary and operationId as the spec states them, for the served OpenAPI. */
export function specDoc(method: string, path: string): { summary: string; operationId: string } {
  const op = operation(method, path);
  return { summary: op.summary, operationId: op.operationId };
}

/** The spec's answer schemas by status. */
export function specResponses(method: string, path: string): Json {
  const out: Json = {};
  for (const [status, response] of Object.entries(operation(method, path).responses as Json)) {
    out[status] = { description: response.description, ...(convert(response.schema) as Json) };
  }
  return out;
}
