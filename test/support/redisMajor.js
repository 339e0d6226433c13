// Preloaded by test/stores/redisOwnClient.test.ts in a child process: the library's own
// `require('redis')` (from dist/) resolves to the major named by TSRPC_SESSION_REDIS_PACKAGE
// (an npm alias such as redis4), as if the app had installed that major; the tests' helpers keep theirs.
const Module = require('module');
const path = require('path');

const alias = process.env.TSRPC_SESSION_REDIS_PACKAGE;
const dist = `${path.sep}dist${path.sep}`;
const resolve = Module._resolveFilename;
let announced = false;
Module._resolveFilename = function (request, parent, ...rest) {
    if (alias && request === 'redis' && parent && parent.filename && parent.filename.includes(dist)) {
        if (!announced) {
            announced = true;
            console.log(`tsrpc-session's own client on ${alias} ${require(`${alias}/package.json`).version}`);
        }
        return resolve.call(this, alias, parent, ...rest);
    }
    return resolve.call(this, request, parent, ...rest);
};
