import assert from 'assert';
import { escapeField, unescapeField } from '../../backend/src/session/stores/mongoDocuments';
import { describeStoreContract } from 'tsrpc-session/stores';
import { mongoFactory } from './storeFactories';

describe('MongoStore field names', () => {
    it('escapes what MongoDB would read as a path or an operator, and reads it back', () => {
        for (const field of ['plain', 'a.b', '$where', 'a$b', '%2E', '100%', '', '.', '$', '__proto__']) {
            const escaped = escapeField(field);
            assert.ok(!escaped.includes('.') && !escaped.startsWith('$') && escaped !== '', `escaped '${field}' as '${escaped}'`);
            assert.strictEqual(unescapeField(escaped), field);
        }
    });
});

if (process.env.MONGODB_URI) {
    describeStoreContract('MongoStore', mongoFactory.make);
} else {
    // Pending, not passing: no MongoDB server exists here and none is faked.
    describe('SessionStore contract: MongoStore', () => {
        it('SKIPPED, NOT run: MONGODB_URI is not set (no MongoDB server is faked); run MONGODB_URI=… npm run test:mongo');
    });
}
