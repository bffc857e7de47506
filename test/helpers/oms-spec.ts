import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The Kazakhstan order station's published Swagger 2.0, the contract integrators generate their
 * clients from. CI clones this repository beside a copy of `shared/`.
 */
export const OMS_SPEC_PATH = path.resolve(__dirname, '../../../shared/oms/kz-oms-api-v2.swagger.json');

/** Statuses this server may answer although no operation declares them, each with a RestResult body. */
const DOCUMENTED_DEVIATIONS: Record<number, string> = {
  401: 'no or unknown token',
  413: 'body too large',
  503: 'backing service down',
};

type Json = Record<string, any>;

export interface SwaggerParameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'formData' | 'body';
  required?: boolean;
  type?: string;
  format?: string;
  schema?: Json;
  allowEmptyValue?: boolean;
  collectionFormat?: string;
  items?: Json;
  [keyword: string]: unknown;
}

export interface SwaggerOperation {
  operationId?: string;
  tags?: string[];
  consumes?: string[];
  produces?: string[];
  parameters?: (SwaggerParameter | { $ref: string })[];
  responses: Record<string, { description?: string; schema?: Json }>;
  [key: string]: unknown;
}

export interface SwaggerSpec {
  swagger: string;
  host?: string;
  basePath?: string;
  schemes?: string[];
  paths: Record<string, Record<string, SwaggerOperation> & { parameters?: SwaggerParameter[] }>;
  definitions: Record<string, Json>;
  parameters?: Record<string, SwaggerParameter>;
  [key: string]: unknown;
}

/** One request to the order station and its answer, as a test saw them. */
export interface SpecExchange {
  method: string;
  /** The path with its query string (an absolute URL is accepted too). */
  url: string;
  headers: Record<string, string>;
  /** The request body: a value (sent as JSON), its JSON text, or FormData. */
  body?: unknown;
  status: number;
  /** The answer's body, parsed when it was JSON. */
  response: unknown;
}

let cachedSpec: SwaggerSpec | undefined;

function spec(): SwaggerSpec {
  if (!cachedSpec) {
    if (!existsSync(OMS_SPEC_PATH)) {
      throw new Error(
        `The order station's published spec is missing: expected ${OMS_SPEC_PATH} (the repository must be cloned beside a copy of shared/)`,
      );
    }
    const parsed = JSON.parse(readFileSync(OMS_SPEC_PATH, 'utf8')) as SwaggerSpec;
    if (parsed.swagger !== '2.0' || !parsed.paths || !parsed.definitions)
      throw new Error(`${OMS_SPEC_PATH} is not a Swagger 2.0 document with paths and definitions`);
    cachedSpec = parsed;
  }
  return cachedSpec;
}

/** The published spec, parsed (a copy: callers such as swagger-client may change it). */
export function loadSpec(): SwaggerSpec {
  return structuredClone(spec());
}

// ---------------------------------------------------------------------------------------------
// Schemas: the spec's definitions compiled once by Ajv for draft-04 (the Swagger 2.0 dialect:
// boolean exclusiveMinimum, `id`), each operation's schemas compiled when first needed.

const DEFINITIONS_ID = 'kz-oms-api-v2.json';
let ajvInstance: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function ajv(): Ajv {
  if (!ajvInstance) {
    // strict: false — the spec carries `example`, `xml` and `allowEmptyValue` beside its keywords.
    const instance = new Ajv({ strict: false, allErrors: true });
    addFormats(instance);
    instance.addSchema({ id: DEFINITIONS_ID, definitions: spec().definitions });
    ajvInstance = instance;
  }
  return ajvInstance;
}

/** Local references (`#/definitions/X`) of an operation's schema point into the compiled definitions. */
function anchored(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(anchored);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DEFINITIONS_ID}${value}`
        : anchored(value);
  return out;
}

function validator(key: string, schema: Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv().compile(anchored(schema) as Json);
    validators.set(key, validate);
  }
  return validate;
}

const preview = (value: unknown, max = 160) => {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

function valueAt(root: unknown, pointer: string): unknown {
  let node = root as any;
  for (const token of pointer.split('/').slice(1)) node = node?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

function schemaErrors(where: string, errors: ErrorObject[] | null | undefined, value: unknown): string[] {
  return (errors ?? []).map((e) => {
    const at = `${where}${e.instancePath.replace(/\//g, '.')}`;
    const params = e.params as Json;
    const detail = e.keyword === 'enum' ? ` (${(params.allowedValues as unknown[]).join(', ')})` : '';
    const got =
      e.keyword === 'required' || e.keyword === 'additionalProperties'
        ? ''
        : `, got ${preview(valueAt(value, e.instancePath))}`;
    return `${at} ${e.message}${detail}${got}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Operations

interface FoundOperation {
  name: string;
  key: string;
  operation: SwaggerOperation;
  parameters: SwaggerParameter[];
}

function resolveParameter(p: SwaggerParameter | { $ref: string }): SwaggerParameter {
  if ('$ref' in p && typeof p.$ref === 'string') {
    const name = p.$ref.replace('#/parameters/', '');
    const resolved = spec().parameters?.[name];
    if (!resolved) throw new Error(`the spec refers to an unknown parameter ${p.$ref}`);
    return resolved;
  }
  return p as SwaggerParameter;
}

function findOperation(method: string, pathname: string): FoundOperation | undefined {
  const { paths } = spec();
  const templated = (template: string) =>
    new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
  const specPath = paths[pathname]
    ? pathname
    : Object.keys(paths).find((p) => p.includes('{') && templated(p).test(pathname));
  const item = specPath ? paths[specPath] : undefined;
  const operation = item?.[method] as SwaggerOperation | undefined;
  if (!specPath || !item || !operation || method === 'parameters') return undefined;
  // Operation parameters override the path's of the same name and location.
  const byKey = new Map<string, SwaggerParameter>();
  for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolveParameter))
    byKey.set(`${p.in}:${p.name}`, p);
  return {
    name: `${method.toUpperCase()} ${specPath}`,
    key: `${method} ${specPath}`,
    operation,
    parameters: [...byKey.values()],
  };
}

// ---------------------------------------------------------------------------------------------
// The request

/** A query or formData parameter's own constraints as a JSON schema. */
function parameterSchema(p: SwaggerParameter): Json {
  const schema: Json = {};
  for (const keyword of [
    'type',
    'format',
    'enum',
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'pattern',
    'items',
    'minItems',
    'maxItems',
    'uniqueItems',
    'multipleOf',
  ]) {
    if (p[keyword] !== undefined) schema[keyword] = p[keyword];
  }
  if (schema.type === 'file') delete schema.type;
  return schema;
}

/** A query string value as the parameter's type, or a problem. */
function coerce(p: { type?: string; format?: string }, raw: string): { value: unknown } | { problem: string } {
  switch (p.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw)) return { problem: `is not an integer` };
      const n = BigInt(raw);
      const bits = p.format === 'int64' ? 63n : 31n;
      if (n < -(2n ** bits) || n >= 2n ** bits) return { problem: `is out of the ${p.format ?? 'int32'} range` };
      return { value: Number(n) };
    }
    case 'number':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw)
        ? { value: Number(raw) }
        : { problem: 'is not a number' };
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: 'is not true or false' };
    default:
      return { value: raw };
  }
}

const SEPARATORS: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };

function queryProblems(found: FoundOperation, query: URLSearchParams): string[] {
  const problems: string[] = [];
  const declared = new Map(found.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const name of new Set(query.keys())) {
    const p = declared.get(name);
    if (!p)
      problems.push(
        `query parameter ${name} is not in the spec (the operation takes: ${[...declared.keys()].join(', ') || 'none'})`,
      );
    else if (query.getAll(name).length > 1 && !(p.type === 'array' && p.collectionFormat === 'multi'))
      problems.push(`query parameter ${name} is given ${query.getAll(name).length} times`);
  }
  for (const p of declared.values()) {
    const raws = query.getAll(p.name);
    if (raws.length === 0 || (raws.every((r) => r === '') && !p.allowEmptyValue)) {
      if (raws.length) problems.push(`query parameter ${p.name} is empty`);
      else if (p.required) problems.push(`required query parameter ${p.name} is missing`);
      continue;
    }
    let value: unknown;
    if (p.type === 'array') {
      const parts =
        p.collectionFormat === 'multi' ? raws : raws[0].split(SEPARATORS[p.collectionFormat ?? 'csv'] ?? ',');
      const items = parts.map((part) => coerce(p.items ?? {}, part));
      const bad = items.find((i): i is { problem: string } => 'problem' in i);
      if (bad) {
        problems.push(`query parameter ${p.name}: an item ${bad.problem}`);
        continue;
      }
      value = items.map((i) => (i as { value: unknown }).value);
    } else {
      const coerced = coerce(p, raws[0]);
      if ('problem' in coerced) {
        problems.push(`query parameter ${p.name}=${preview(raws[0])} ${coerced.problem}`);
        continue;
      }
      value = coerced.value;
    }
    const validate = validator(`${found.key} query ${p.name}`, parameterSchema(p));
    if (!validate(value)) problems.push(...schemaErrors(`query parameter ${p.name}`, validate.errors, value));
  }
  return problems;
}

const isEmptyBody = (body: unknown) =>
  body === undefined ||
  body === null ||
  body === '' ||
  (typeof body === 'object' && !(body instanceof Uint8Array) && !isFormData(body) && Object.keys(body).length === 0);

const isFormData = (body: unknown): body is FormData => typeof FormData !== 'undefined' && body instanceof FormData;

/** A JSON body as a value: parsed when it came as text. */
function jsonBody(body: unknown): { value: unknown } | { problem: string } {
  const text =
    typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
  if (text === undefined) return { value: body };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: `the request body is not JSON: ${preview(text)}` };
  }
}

function bodyProblems(found: FoundOperation, body: unknown): string[] {
  const bodyParameter = found.parameters.find((p) => p.in === 'body');
  const formParameters = found.parameters.filter((p) => p.in === 'formData');
  if (bodyParameter) {
    if (body === undefined || body === '')
      return bodyParameter.required
        ? [
            `the request has no body; the spec requires ${bodyParameter.name} (${bodyParameter.schema?.$ref ?? 'a JSON body'})`,
          ]
        : [];
    const parsed = jsonBody(body);
    if ('problem' in parsed) return [parsed.problem];
    const validate = validator(`${found.key} body`, bodyParameter.schema ?? {});
    return validate(parsed.value) ? [] : schemaErrors(`body (${bodyParameter.name})`, validate.errors, parsed.value);
  }
  if (formParameters.length) {
    if (isFormData(body)) {
      const problems: string[] = [];
      for (const name of new Set(body.keys()))
        if (!formParameters.some((p) => p.name === name)) problems.push(`form field ${name} is not in the spec`);
      for (const p of formParameters) {
        const value = body.get(p.name);
        if (value === null) {
          if (p.required) problems.push(`required form field ${p.name} is missing`);
        } else if (p.type === 'file' && typeof value === 'string') problems.push(`form field ${p.name} must be a file`);
      }
      return problems;
    }
    const text =
      typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
    if (text === undefined)
      return [
        `the spec wants a multipart/form-data body (${formParameters.map((p) => p.name).join(', ')}), got ${preview(body)}`,
      ];
    return formParameters
      .filter((p) => p.required && !text.includes(`name="${p.name}"`))
      .map((p) => `required form field ${p.name} is missing`);
  }
  return isEmptyBody(body) ? [] : [`the operation takes no body, got ${preview(body)}`];
}

// ---------------------------------------------------------------------------------------------
// The answer

function answerProblems(found: FoundOperation, status: number, response: unknown): string[] {
  const { responses } = found.operation;
  const declared = responses[String(status)] ?? responses.default;
  const deviation = DOCUMENTED_DEVIATIONS[status];
  if (!declared && !deviation) {
    return [
      `status ${status} is not declared (declared: ${Object.keys(responses).join(', ')}; documented deviations: ${Object.keys(DOCUMENTED_DEVIATIONS).join(', ')}); body: ${preview(response, 400)}`,
    ];
  }
  const schema = declared ? declared.schema : { $ref: '#/definitions/RestResult' };
  if (!schema) return [];
  let body = response;
  if (typeof body === 'string' && schema.type !== 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return [`the ${status} answer is not JSON: ${preview(body)}`];
    }
  }
  const where = `answer ${status} (${schema.$ref ? String(schema.$ref).replace('#/definitions/', '') : 'inline schema'})`;
  const validate = validator(`${found.key} ${declared ? status : 'deviation'}`, schema);
  const problems = validate(body) ? [] : schemaErrors(where, validate.errors, body);
  if (status >= 400) {
    const result = (body ?? {}) as Json;
    if (result.success !== false) problems.push(`${where}: success must be false, got ${preview(result.success)}`);
    const global = Array.isArray(result.globalErrors)
      ? result.globalErrors.filter((e: unknown) => typeof e === 'string' && e.trim())
      : [];
    const field = Array.isArray(result.fieldErrors)
      ? result.fieldErrors.filter(
          (e: Json) =>
            e && typeof e === 'object' && [e.fieldError, e.fieldName].some((s) => typeof s === 'string' && s.trim()),
        )
      : [];
    if (!global.length && !field.length)
      problems.push(`${where}: names no error (no globalErrors string, no fieldErrors entry): ${preview(body, 400)}`);
  }
  return problems;
}

/**
 * What in an exchange with `/api/v2/shoes/*` departs from the published spec; empty when it
 * conforms. `request: false` skips the request checks (tests that send malformed requests on
 * purpose); the answer is always checked. Header parameters are not checked.
 */
export function specProblems(exchange: SpecExchange, options: { request?: boolean } = {}): string[] {
  const method = exchange.method.toLowerCase();
  const url = new URL(exchange.url, 'http://order-station.invalid');
  const found = findOperation(method, url.pathname);
  if (!found) return [`${method.toUpperCase()} ${url.pathname}: no such operation in the spec`];
  const problems: string[] = [];
  if (options.request !== false) {
    for (const p of [...queryProblems(found, url.searchParams), ...bodyProblems(found, exchange.body)])
      problems.push(`${found.name} request: ${p}`);
  }
  for (const p of answerProblems(found, exchange.status, exchange.response))
    problems.push(`${found.name} → ${exchange.status}: ${p}`);
  return problems;
}

/** Fails the test with every problem of the exchange. */
export function expectSpecConformance(exchange: SpecExchange, options: { request?: boolean } = {}): void {
  expect(specProblems(exchange, options)).toEqual([]);
}
