import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Browser } from 'playwright-core';
import { MemoryStore, SessionOptions } from 'tsrpc-session/server';
import { createExampleApp, ExampleApp } from '../../backend/src/app';
import { ApiUpstreams, startWebServer, WebServer } from '../../backend/src/webServer';
import { buildWebPage } from '../../frontend/build';
import { launchChromium } from './browserPage';
import { TEST_SECRETS } from './sessionServer';
import { silentLogger } from './transports';

export interface PageServer {
    /** The folder the page was built into. */
    outdir: string;
    /** The example's one origin: the page, and its API forwarded under /api/ and /ws. */
    web: WebServer;
    browser: Browser;
    stop(): Promise<void>;
}

/**
 * The example page built and served on a free port, and a Chromium to open it. The API servers
 * its web server forwards to are read per request from `api()`, so they may start later, on free
 * ports, and change between tests.
 */
export async function servePage(api: () => ApiUpstreams | undefined): Promise<PageServer> {
    const outdir = await buildWebPage(await mkdtemp(join(tmpdir(), 'tsrpc-session-page-')));
    const web = await startWebServer({ root: outdir, port: 0, host: '127.0.0.1', api });
    const browser = await launchChromium();
    return {
        outdir, web, browser,
        async stop() {
            await browser.close();
            await web.stop();
            await rm(outdir, { recursive: true, force: true });
        },
    };
}

/** Fresh example API servers (on loopback) and store for the page served at `webOrigin`. */
export async function startExampleApi(webOrigin: string, session: Partial<SessionOptions> = {}): Promise<{ app: ExampleApp; upstreams: ApiUpstreams }> {
    const app = createExampleApp({
        httpPort: 0, wsPort: 0, allowedOrigins: [webOrigin], logger: silentLogger,
        session: { secrets: TEST_SECRETS, store: new MemoryStore(), ...session },
    });
    const { httpPort, wsPort } = await app.start();
    return { app, upstreams: { http: { host: '127.0.0.1', port: httpPort }, ws: { host: '127.0.0.1', port: wsPort } } };
}
