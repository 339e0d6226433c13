import { SESSION_RECORD_VERSION, SessionRecord } from '../stores/SessionStore';

/** Where version 1 records kept the plugin's bookkeeping: inside the data, under a reserved prefix. */
export const RESERVED_KEY_PREFIX = '__tsrpc';
const V1_SUCCESSOR_KEY = `${RESERVED_KEY_PREFIX}Successor`;
const V1_ID_ISSUED_AT_KEY = `${RESERVED_KEY_PREFIX}IdIssuedAt`;

/**
 * A record as the current version reads it: a version 1 record's bookkeeping moves from its data to
 * `successorKey` and `idIssuedAt` (fields a store already set win), so handlers never see it.
 */
export function upgradeRecord(record: SessionRecord): SessionRecord {
    if (record.v >= SESSION_RECORD_VERSION) return record;
    const { [V1_SUCCESSOR_KEY]: successorKey, [V1_ID_ISSUED_AT_KEY]: idIssuedAt, ...data } = record.data;
    const upgraded: SessionRecord = { ...record, v: SESSION_RECORD_VERSION, data };
    if (upgraded.successorKey === undefined && typeof successorKey === 'string') upgraded.successorKey = successorKey;
    if (upgraded.idIssuedAt === undefined && typeof idIssuedAt === 'number') upgraded.idIssuedAt = idIssuedAt;
    return upgraded;
}
