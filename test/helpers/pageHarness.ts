import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Browser, BrowserContext } from 'playwright-core';
import { MemoryStore, SessionOptions } from 'tsrpc-session/server';
import { createExampleApp, ExampleApp } from '../../backend/src/app';
import { ApiUpstreams, startWebServer, WebServer } from '../../backend/src/web/webServer';
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

/** Where the example's sessions live: a fresh MemoryStore, or sealed in their cookie with a memory deny-list (`SESSION_STORE=sealed`). */
export type ExampleSessionMode = 'store' | 'sealed';

/** Fresh example API servers (on loopback) and store for the page served at `webOrigin`. */
export async function startExampleApi(
    webOrigin: string, session: Partial<SessionOptions> = {}, mode: ExampleSessionMode = 'store',
): Promise<{ app: ExampleApp; upstreams: ApiUpstreams }> {
    const app = createExampleApp({
        httpPort: 0, wsPort: 0, allowedOrigins: [webOrigin], logger: silentLogger,
        session: mode === 'sealed'
            ? { secrets: TEST_SECRETS, sealed: { denyList: new MemoryStore() } }
            : { secrets: TEST_SECRETS, store: new MemoryStore(), ...session },
    });
    const { httpPort, wsPort } = await app.start();
    return { app, upstreams: { http: { host: '127.0.0.1', port: httpPort }, ws: { host: '127.0.0.1', port: wsPort } } };
}

/** The example page a suite tests: what `useExamplePage` keeps for each test. */
export interface ExamplePage {
    /** The built page, its web server and Chromium: one per suite. */
    readonly served: PageServer;
    /** This test's API servers and store, fresh per test: one test's logins are not another's devices. */
    readonly app: ExampleApp;
    /** Where the web server forwards; a test may point it elsewhere (a server that is down). */
    upstreams: ApiUpstreams | undefined;
    /** A fresh browser profile (a device with its own storage, shared by its tabs), closed after the test. */
    newDevice(): Promise<BrowserContext>;
    /** Closes the profiles opened so far (done after each test anyway). */
    closeDevices(): Promise<void>;
    /** What the page calls over `transport`: its own origin, which forwards to the API servers. */
    apiUrl(transport: 'http' | 'ws'): string;
}

/**
 * Registers a suite's hooks: the page served and Chromium launched once, fresh example API servers
 * before each test, and after it every browser profile it opened closed and its servers stopped.
 */
export function useExamplePage(mode: ExampleSessionMode = 'store'): ExamplePage {
    let served: PageServer | undefined;
    let app: ExampleApp | undefined;
    let contexts: BrowserContext[] = [];
    const example: ExamplePage = {
        get served() {
            if (!served) throw new Error('the example page is served from the suite\'s before hook on');
            return served;
        },
        get app() {
            if (!app) throw new Error('the example API runs only inside a test');
            return app;
        },
        upstreams: undefined,
        async newDevice() {
            const context = await example.served.browser.newContext();
            contexts.push(context);
            context.setDefaultTimeout(10_000);
            return context;
        },
        async closeDevices() {
            const closing = contexts;
            contexts = [];
            await Promise.all(closing.map(c => c.close()));
        },
        apiUrl(transport) {
            const { origin } = example.served.web;
            return transport === 'http' ? `${origin}/api/` : `${origin.replace('http:', 'ws:')}/ws`;
        },
    };
    before(async () => {
        served = await servePage(() => example.upstreams);
    });
    after(async () => {
        await served?.stop();
    });
    beforeEach(async () => {
        ({ app, upstreams: example.upstreams } = await startExampleApi(example.served.web.origin, {}, mode));
    });
    afterEach(async () => {
        await example.closeDevices();
        await app?.stop();
        app = undefined;
    });
    return example;
}
