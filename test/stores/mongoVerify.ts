import Mocha from 'mocha';
import path from 'path';

/**
 * `npm run test:mongo`: every MongoStore suite against the server MONGODB_URI names, then a list of
 * what was verified. Fails without MONGODB_URI: this command exists to verify, never to skip.
 */
const AREAS: [file: string, area: string][] = [
    ['stores/mongo.test.ts', 'store contract (load/create, update, compareAndSet, touch, no resurrection, user index, renewal) on a mongodb 7 client'],
    ['stores/mongoServer.test.ts', 'mongodb 6 client contract, TTL index, revocation channel, start-up outage'],
    ['stores/guarantees.test.ts', 'guarantees through real TSRPC servers (parallel writers, destroy races, two servers)'],
    ['security/renewalRaces.test.ts', 'id renewal races'],
    ['core/anonymousExpiry.test.ts', 'anonymous idle expiry'],
    ['stores/recordVersions.test.ts', 'records of format version 1'],
    ['stores/operationCounts.test.ts', 'store operations per call'],
    ['security/login.test.ts', 'example Login on the store'],
    ['stores/mongoOutage.test.ts', 'start-up outage without a server (stand-in listener)'],
];
/** The Mongo parts of files that also test other stores. */
const GREP = /MongoStore|MongoDB|on the mongo store/;

if (!process.env.MONGODB_URI) {
    console.error('test:mongo: MONGODB_URI is not set, so nothing was verified.\n'
        + '  Point it at a MongoDB server you may write to (each run uses a database of its own and drops it), e.g.\n'
        + '  MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0 npm run test:mongo\n'
        + '  A replica set verifies the change-stream revocation channel; a standalone server, the tailable cursor.');
    process.exit(1);
}

const mocha = new Mocha({ grep: GREP, timeout: 120_000, slow: 5000, reporter: 'spec' });
const root = path.join(__dirname, '..');
for (const [file] of AREAS) mocha.addFile(path.join(root, file));
const tally = new Map<string, { passed: number; failed: number; skipped: number }>(AREAS.map(([file]) => [file, { passed: 0, failed: 0, skipped: 0 }]));
const count = (test: Mocha.Test | Mocha.Hook, outcome: 'passed' | 'failed' | 'skipped') => {
    const file = path.relative(root, test.file ?? '').split(path.sep).join('/');
    const row = tally.get(file);
    if (row) row[outcome]++;
};

const runner = mocha.run(failures => {
    console.log(`\ntest:mongo against ${redact(process.env.MONGODB_URI!)}:`);
    for (const [file, area] of AREAS) {
        const { passed, failed, skipped } = tally.get(file)!;
        const verdict = failed > 0 ? 'FAILED  ' : passed > 0 ? 'VERIFIED' : 'NOT RUN ';
        console.log(`  ${verdict} ${area}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    }
    process.exitCode = failures > 0 || [...tally.values()].some(row => row.passed === 0) ? 1 : 0;
});
runner.on('pass', test => count(test, 'passed'));
runner.on('fail', test => count(test, 'failed'));
runner.on('pending', test => count(test, 'skipped'));

function redact(uri: string): string {
    return uri.replace(/\/\/[^@/]*@/, '//***@');
}
