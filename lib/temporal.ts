import { status } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from './search-attributes';
import { tracedClientInterceptors } from './telemetry/temporal';

const { IndexedValueType } = temporal.api.enums.v1;

const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * A client whose connection is made lazily and re-made by gRPC when the server comes
 * back, so the API starts and keeps running while Temporal is down (/health says so).
 */
export function createTemporalClient(address: string, namespace: string): { connection: Connection; client: Client } {
  const connection = Connection.lazy({ address });
  return { connection, client: new Client({ connection, namespace, interceptors: tracedClientInterceptors() }) };
}

/**
 * Registers the project's search attributes in a namespace; already registered ones are
 * kept. The Java test server cannot list them, so there each is added and ALREADY_EXISTS
 * taken as done.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  let missing = [...SEARCH_ATTRIBUTES];
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace });
    missing = missing.filter((key) => !(key.name in (listed.customAttributes ?? {})));
  } catch (error) {
    if ((error as { code?: number }).code !== status.UNIMPLEMENTED) throw error;
  }
  for (const key of missing) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: INDEXED_TYPES[key.type] },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== status.ALREADY_EXISTS) throw error;
    }
  }
}
