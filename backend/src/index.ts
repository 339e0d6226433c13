import { randomBytes } from 'crypto';
import { join } from 'path';
import { createExampleApp } from './app';
import { storeFromEnv } from './storeFromEnv';
import { startWebServer } from './webServer';

async function main() {
    const secrets = process.env.SESSION_SECRETS?.split(',').map(s => s.trim()).filter(Boolean) ?? [];
    if (secrets.length === 0) {
        secrets.push(randomBytes(32).toString('base64url'));
        console.warn('SESSION_SECRETS is not set: signing with a random secret, so sessions end when this process does.');
    }
    const store = await storeFromEnv(process.env);
    // The page `npm run build:web` (run by `npm start`) bundled into frontend/dist.
    const web = await startWebServer({
        root: join(__dirname, '../../frontend/dist'),
        port: Number(process.env.WEB_PORT ?? 8080),
        host: process.env.WEB_HOST ?? '127.0.0.1',
    });
    const app = createExampleApp({
        httpPort: Number(process.env.HTTP_PORT ?? 3000),
        wsPort: Number(process.env.WS_PORT ?? 3001),
        corsOrigin: process.env.CORS_ORIGIN ?? web.origin,
        // Anonymous visitors (a cart, no login) cost the store 5 minutes, not the 30 of a logged-in user.
        session: { secrets, store, anonymousIdleTimeoutMs: 5 * 60_000 },
    });
    const { httpPort, wsPort } = await app.start();
    console.log(`Example API: HTTP on port ${httpPort}, WebSocket on port ${wsPort}, store ${process.env.SESSION_STORE ?? 'memory'}`);
    console.log(`Example page: ${web.origin}`);
    const shutdown = async () => {
        await Promise.all([app.stop(), web.stop()]);
        await store.close?.();
        process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
