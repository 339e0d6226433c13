/**
 * Issue 22 item 7: a jar's scope must be the origin the transport really calls. With
 * `http://127.0.0.1:<attacker>\@127.0.0.1:<api>/api/` a hand parser read the API's origin while
 * WHATWG URL (what XHR, fetch, WebSocket, Node's http and ws use) calls the attacker's port.
 */
import assert from 'assert';
import { HttpClient, WsClient } from 'tsrpc';
import { enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { originByUrl } from '../../frontend/src/session/jar/serverOrigin';
import { originWithoutUrl } from '../../frontend/src/session/jar/originWithoutUrl';
import { serviceProto } from '../../shared/protocols/serviceProto';
import { AttackerServer, startAttackerServer } from '../helpers/attackerServer';
import { ExampleTestApp, startExampleApp } from '../helpers/exampleApp';
import { silentLogger } from '../helpers/transports';

/** URLs parsers disagree on, and plain ones they must agree on. */
const URLS = [
    'http://127.0.0.1:5253\\@127.0.0.1:5200/api/', 'http://127.0.0.1:5253/@127.0.0.1:5200/', 'http://a.example\\b.example/',
    'http:\\\\a.example/', 'http:/a.example/', 'http:a.example', 'http://user:pw@a.example/', 'http://@a.example/', 'http://a.example@b.example/',
    'http://a.example:80@b.example/', 'http://a.example%2f@b.example/', 'http://a.example#@b.example/', 'http://a.example?@b.example/',
    'HTTP://A.Example:080/x', 'https://a.example:443', 'wss://a.example:443/', 'ws://a.example:80', 'ws://a.example:8080', 'http://a.example:',
    'http://a.example:65536/', 'http://a.example:99999999999999999999/', 'http://0x7f.1/', 'http://127.1/', 'http://2130706433/', 'http://0177.0.0.1/',
    'http://127.0.0.1/', 'http://127.0.0.01/', 'http://256.0.0.1/', 'http://1.2.3.4./', 'http://a.example./', 'http://a%2eexample/', 'http://ex%41mple.com/',
    'http://EXAMPLE.com/', 'http://xn--nxasmq6b.example/', 'http://bücher.example/', 'http://[::1]:3000/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::FFFF:7f00:1]/',
    'http://[::ffff:127.0.0.1]/', 'http://[1:0:0:2:0:0:0:3]/', 'http://[1:0:0:0:2:0:0:3]/', 'http://[1::2::3]/', 'http://[1:2:3:4:5:6:7:8:9]/', 'http://[::]/',
    'http://[fe80::1%25eth0]/', 'http://a_b.example/', 'http://a..example/', 'http://-a.example/', 'http:///a.example/', 'http://a.example/\\@b/',
];

describe('server URLs the jar refuses or scopes as the transport does (issue 22 item 7)', () => {
    it('without URL, the fallback parser gives the origin URL gives, or refuses the URL', () => {
        for (const url of URLS) {
            const fallback = originWithoutUrl(url);
            if (fallback === undefined) continue;
            let expected: string | undefined;
            try {
                const parsed = new URL(url);
                expected = parsed.username === '' && parsed.password === '' ? parsed.origin : undefined;
            } catch {
                expected = undefined;
            }
            assert.strictEqual(fallback, expected, `fallback and URL disagree on ${url}`);
        }
        const accepted = URLS.filter(url => originWithoutUrl(url) !== undefined);
        for (const plain of ['HTTP://A.Example:080/x', 'https://a.example:443', 'ws://a.example:8080', 'http://127.0.0.1/', 'http://[::1]:3000/', 'http://[1:0:0:2:0:0:0:3]/', 'http://[::]/']) {
            assert.ok(accepted.includes(plain), `the fallback reads ${plain}`);
        }
        assert.strictEqual(originWithoutUrl('http://[0:0:0:0:0:0:0:1]:3000/'), 'http://[::1]:3000');
        assert.strictEqual(originWithoutUrl('HTTP://A.Example:080/x'), 'http://a.example');
    });

    it('refuses credentials, backslashes and whitespace in both parsers, with a clear error at enableCookies', () => {
        const api = '127.0.0.1:5200';
        for (const url of [`http://127.0.0.1:5253\\@${api}/api/`, `http://x@${api}/`, `http://u:p@${api}/`, `http://@${api}/`, `http:\\\\${api}/`, `http://${api}\t/`, ` http://${api}/`]) {
            const client = new HttpClient(serviceProto, { server: url, logger: silentLogger });
            assert.throws(() => enableCookies(client), /^TypeError: tsrpc-session: the server URL .* (credentials|backslash)/, url);
        }
        assert.throws(() => originByUrl('http://u@a.example/'), /credentials/);
    });

    it('a switched server URL that smuggles another port through `\\@` never receives the API\'s session', async () => {
        const env: ExampleTestApp = await startExampleApp();
        const attacker: AttackerServer = await startAttackerServer();
        try {
            const apiPort = new URL(env.urls.http).port;
            const attackerPort = new URL(attacker.httpUrl).port;
            const http = new HttpClient(serviceProto, { server: env.urls.http, logger: silentLogger });
            const options = http.options as { server: string };
            const jar = enableCookies(http, { storage: new MemoryStorage() });
            assert.ok((await http.callApi('Login', { username: 'alice', password: 'wonderland' })).isSucc);
            const sid = (await jar.get('sid'))!;

            options.server = `http://127.0.0.1:${attackerPort}\\@127.0.0.1:${apiPort}/api`;
            await http.callApi('GetMe', {});
            assert.strictEqual(attacker.log.requests.length, 1, 'the transport called the attacker\'s port');
            assert.ok(!attacker.received.includes(sid.split('.')[0]), 'the attacker received the session id');
        } finally {
            await env.stop();
            await attacker.stop();
        }
    });

    it('a WebSocket client given such a URL is refused at enableCookies, before it connects', () => {
        const ws = new WsClient(serviceProto, { server: 'ws://127.0.0.1:5253\\@127.0.0.1:5201', logger: silentLogger });
        assert.throws(() => enableCookies(ws), /tsrpc-session: the server URL/);
    });
});
