import assert from 'assert';
import { enableSession, MemoryStore } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { CapturingLogger } from '../helpers/capturingLogger';
import { implementTestApis } from '../helpers/testApis';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { makeClient, makeServer, serverUrl, TRANSPORTS } from '../helpers/transports';

/**
 * Issue 12 item 8: an internal failure while saving the session answers a generic error with a
 * code; the real error (which may name internals) goes to the server's log only.
 */
for (const transport of TRANSPORTS) {
    describe(`internal errors over ${transport}`, () => {
        it('a session that cannot be saved answers "Internal Server Error" (INTERNAL_ERR); the cause is logged', async () => {
            const logger = new CapturingLogger();
            const server = makeServer(transport, serviceProto, logger);
            // The app's own hook, called as the new session is saved, fails with details no client should read.
            const sessionLabel = () => { throw new Error('label service at 10.0.0.5 refused token t0k3n'); };
            enableSession(server, { secrets: TEST_SECRETS, store: new MemoryStore(), sessionLabel });
            implementTestApis(server);
            await server.start();
            const client = await makeClient(transport, serverUrl(transport, server), serviceProto);
            try {
                const ret = await client.client.callApi('SessionSet', { key: 'k', value: 1 });
                assert.deepStrictEqual(ret.isSucc ? ret : { message: ret.err.message, code: ret.err.code, type: ret.err.type, innerErr: ret.err.innerErr },
                    { message: 'Internal Server Error', code: 'INTERNAL_ERR', type: 'ServerError', innerErr: undefined });
                assert.doesNotMatch(JSON.stringify(ret), /10\.0\.0\.5|t0k3n/);
                assert.match(logger.text, /\[tsrpc-session\] saving the session failed: Error: label service at 10\.0\.0\.5 refused token t0k3n/);
            } finally {
                await client.close();
                await server.stop();
            }
        });
    });
}
