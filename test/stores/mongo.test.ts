import assert from 'assert';
import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoStore } from 'tsrpc-session/stores/mongo';
import { escapeField, unescapeField } from '../../backend/src/session/stores/MongoStore';
import { describeStoreContract } from './contract';

const MONGODB_URI = process.env.MONGODB_URI;

describe('MongoStore field names', () => {
    it('escapes what MongoDB would read as a path or an operator, and reads it back', () => {
        for (const field of ['plain', 'a.b', '$where', 'a$b', '%2E', '100%', '', '.', '$', '__proto__']) {
            const escaped = escapeField(field);
            assert.ok(!escaped.includes('.') && !escaped.startsWith('$') && escaped !== '', `escaped '${field}' as '${escaped}'`);
            assert.strictEqual(unescapeField(escaped), field);
        }
    });
});

if (MONGODB_URI) {
    describe('MongoStore on MONGODB_URI', () => {
        // One database per run, dropped at the end: the server may hold other data.
        const dbName = `tsrpc_session_test_${process.pid}_${randomBytes(4).toString('hex')}`;
        const client = new MongoClient(MONGODB_URI);
        before(async () => { await client.connect(); });
        after(async () => {
            await client.db(dbName).dropDatabase();
            await client.close();
        });
        describeStoreContract('MongoStore', async () => ({
            store: new MongoStore({ client, dbName, collectionName: `sessions_${randomBytes(4).toString('hex')}` }),
            async cleanup() {},
        }));
    });
} else {
    describe('SessionStore contract: MongoStore', () => {
        before(function () {
            console.log('    SKIPPED: MongoStore contract NOT run (MONGODB_URI is not set; no MongoDB server is faked). Run MONGODB_URI=… npm run test:mongo');
            this.skip();
        });
        it('runs the SessionStore contract against a real MongoDB server (set MONGODB_URI)', () => {});
    });
}
