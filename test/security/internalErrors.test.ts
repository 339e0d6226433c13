import assert from 'assert';
import { CapturingLogger } from '../helpers/capturingLogger';
import { startSessionServer } from '../helpers/sessionServer';
import { TRANSPORTS } from '../helpers/transports';

/**
 * Issue 12 item 8: an internal failure while saving the session answers a generic error with a
 * code; the real error (which may name internals) goes to the server's log only.
 */
for (const transport of TRANSPORTS) {
    describe(`internal errors over ${transport}`, () => {
        it('a session that cannot be saved answers "Internal Server Error" (INTERNAL_ERR); the cause is logged', async () => {
            const logger = new CapturingLogger();
            // The app's own hook, called as the new session is saved, fails with details no client should read.
            const sessionLabel = () => { throw new Error('label service at 10.0.0.5 refused token t0k3n'); };
            const env = await startSessionServer(transport, { sessionLabel }, logger);
            try {
                const { client } = await env.client();
                const ret = await client.callApi('SessionSet', { key: 'k', value: 1 });
                assert.deepStrictEqual(ret.isSucc ? ret : { message: ret.err.message, code: ret.err.code, type: ret.err.type, innerErr: ret.err.innerErr },
                    { message: 'Internal Server Error', code: 'INTERNAL_ERR', type: 'ServerError', innerErr: undefined });
                assert.doesNotMatch(JSON.stringify(ret), /10\.0\.0\.5|t0k3n/);
                assert.match(logger.text, /\[tsrpc-session\] saving the session failed: Error: label service at 10\.0\.0\.5 refused token t0k3n/);
            } finally {
                await env.stop();
            }
        });
    });
}
