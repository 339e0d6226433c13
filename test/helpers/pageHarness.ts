import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Browser } from 'playwright-core';
import { MemoryStore } from 'tsrpc-session/server';
import { createExampleApp, ExampleApp } from '../../backend/src/app';
import { startWebServer, WebServer } from '../../backend/src/webServer';
import { buildWebPage } from '../../frontend/build';
import { launchChromium } from './browserPage';
import { TEST_SECRETS } from './sessionServer';
import { silentLogger } from './transports';

export interface ApiUrls {
    http: string;
    ws: string;
}

export interface PageServer {
    /** The folder the page was built into. */
    outdir: string;
    web: WebServer;
    browser: Browser;
    stop(): Promise<void>;
}

/**
 * The example page built and served on a free port, and a Chromium to open it. The page's API
 * addresses are read per request from `api()`, so API servers may start later, on free ports.
 */
export async function servePage(api: () => ApiUrls): Promise<PageServer> {
    const outdir = await buildWebPage(await mkdtemp(join(tmpdir(), 'tsrpc-session-page-')));
    const web = await startWebServer({ root: outdir, port: 0, host: '127.0.0.1', api: () => ({ httpUrl: api().http, wsUrl: api().ws }) });
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

/** Fresh example API servers and store for the page served at `webOrigin`. */
export async function startExampleApi(webOrigin: string): Promise<{ app: ExampleApp; urls: ApiUrls }> {
    const app = createExampleApp({
        httpPort: 0, wsPort: 0, corsOrigin: webOrigin, allowedOrigins: [webOrigin], logger: silentLogger,
        session: { secrets: TEST_SECRETS, store: new MemoryStore() },
    });
    const { httpPort, wsPort } = await app.start();
    return { app, urls: { http: `http://127.0.0.1:${httpPort}`, ws: `ws://127.0.0.1:${wsPort}` } };
}
