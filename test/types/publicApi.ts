// Type tests of the public API, compiled by `tsc -p test/types` against the built package (through
// its own name) under the strictest options. Every `@ts-expect-error` must stay an error.
import { expectTypeOf } from 'expect-type';
import { HttpClient, HttpServer, WsClient, WsServer } from 'tsrpc';
import { CookieJar, enableCookies, MemoryStorage } from 'tsrpc-session/client';
import { CookieUpdates, CookieValues } from 'tsrpc-session/protocols';
import * as server from 'tsrpc-session/server';
import {
    allowWebSocketOrigins, CallCookies, ConnectionSession, enableSession, limitRequestSize, MemoryStore,
    Session, SessionAuditEventType, SessionData, SessionErrorCode, SessionOptions, SessionPlugin, SessionStore,
} from 'tsrpc-session/server';
import * as stores from 'tsrpc-session/stores';
import { describeStoreContract, EvictionSource, KoaStoreAdapter, StoreUnderTest, StoreWrapper } from 'tsrpc-session/stores';
import { MongoStore } from 'tsrpc-session/stores/mongo';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { CountingStore } from 'tsrpc-session/testing';
// The example app's SessionData, augmented through the package name: { userId: string; cart: CartLine[] }.
import '../../backend/src/demo/sessionData';
import { CartLine } from '../../shared/protocols/models/CartLine';
import { serviceProto } from '../../shared/protocols/serviceProto';

const secrets = ['a secret of at least thirty-two bytes, for types'];
const http = new HttpServer(serviceProto);
const ws = new WsServer(serviceProto);

// Secrets are required; everything else has a default.
expectTypeOf(enableSession(http, { secrets })).toEqualTypeOf<SessionPlugin>();
enableSession([http, ws], { secrets, store: new MemoryStore({ maxSessions: 10 }), idleTimeoutMs: 60_000 });
// @ts-expect-error secrets missing
enableSession(http, {});
// @ts-expect-error an option of the wrong type
enableSession(http, { secrets, idleTimeoutMs: '30m' });
expectTypeOf<SessionOptions['secrets']>().toEqualTypeOf<readonly string[]>();
expectTypeOf<SessionPlugin['options']['store']>().toEqualTypeOf<SessionStore>();

// Every store, built in or adapted, fits the one contract.
expectTypeOf<MemoryStore>().toMatchTypeOf<SessionStore>();
expectTypeOf<RedisStore>().toMatchTypeOf<SessionStore>();
expectTypeOf<MongoStore>().toMatchTypeOf<SessionStore>();
expectTypeOf<KoaStoreAdapter>().toMatchTypeOf<SessionStore>();
expectTypeOf<CountingStore>().toMatchTypeOf<SessionStore>();
enableSession(http, { secrets, store: new CountingStore(new MemoryStore()) });
// OpenTelemetry: one switch, no other telemetry option.
enableSession(http, { secrets, telemetry: false });
// @ts-expect-error the switch is a boolean
enableSession(http, { secrets, telemetry: 'off' });

// The memory store reports what it evicts, as an audit event.
expectTypeOf<MemoryStore>().toMatchTypeOf<EvictionSource>();
expectTypeOf<CountingStore>().toMatchTypeOf<EvictionSource>();
expectTypeOf<'evicted'>().toMatchTypeOf<SessionAuditEventType>();

// Limits TSRPC lacks: request size (HTTP and WebSocket) and the origins allowed to open WebSockets.
limitRequestSize([http, ws], { maxBytes: 1024 * 1024 });
limitRequestSize(http);
// @ts-expect-error the limit is a number of bytes
limitRequestSize(http, { maxBytes: '1MB' });
limitRequestSize(http, { telemetry: false });
allowWebSocketOrigins(ws, ['https://shop.example.com']);
// @ts-expect-error origins concern WebSocket servers only (HTTP has TSRPC's cors option)
allowWebSocketOrigins(http, ['https://shop.example.com']);

// Session keys and values come from SessionData, augmented through 'tsrpc-session/server'.
expectTypeOf<SessionData>().toEqualTypeOf<{ userId: string; cart: CartLine[] }>();
declare const session: Session;
expectTypeOf(session.get('userId')).toEqualTypeOf<Promise<string | undefined>>();
expectTypeOf(session.getAll()).toEqualTypeOf<Promise<Partial<SessionData>>>();
// @ts-expect-error a key the app never declared (a typo)
void session.get('usrId');
// @ts-expect-error a value of the wrong type
void session.set('userId', 42);

// update() answers the type its function returns.
const line: CartLine = { item: 'tea', quantity: 1 };
expectTypeOf(session.update('cart', (cart = []) => [...cart, line])).toEqualTypeOf<Promise<CartLine[]>>();
expectTypeOf(session.update('cart', () => undefined)).toEqualTypeOf<Promise<undefined>>();
// @ts-expect-error the function must return the key's type
void session.update('cart', () => 'not a cart');

// Message handlers get a session that cannot regenerate or destroy: no response carries its cookie.
expectTypeOf(enableSession(http, { secrets }).sessionOf).returns.toEqualTypeOf<ConnectionSession | undefined>();
declare const bound: ConnectionSession;
// @ts-expect-error no regenerate() through sessionOf
void bound.regenerate();
// @ts-expect-error no destroy() through sessionOf
void bound.destroy();
expectTypeOf(bound.get('userId')).toEqualTypeOf<Promise<string | undefined>>();

// The plugin makes sessions and cookie sets; apps only use them.
// @ts-expect-error Session is an interface
void new Session();
// @ts-expect-error CallCookies is an interface
void new CallCookies();

// The handler's call.session and call.cookie, through the plugin's augmentation of tsrpc.
http.implementApi('GetMe', async call => {
    expectTypeOf(call.session).toEqualTypeOf<Session>();
    expectTypeOf(call.cookie.get('theme')).toEqualTypeOf<string | undefined>();
    await call.succ({});
});

// Any TSRPC client, HTTP or WebSocket, strict app or not, gets a jar.
expectTypeOf(enableCookies(new HttpClient(serviceProto))).toEqualTypeOf<CookieJar>();
enableCookies(new WsClient(serviceProto), { storage: new MemoryStorage(), namespace: 'ws://api.example.com' });
// @ts-expect-error a storage without getItem
enableCookies(new HttpClient(serviceProto), { storage: { setItem() {}, removeItem() {} } });

// The wire types every protocol extends.
expectTypeOf<CookieValues>().toEqualTypeOf<{ [name: string]: string }>();
expectTypeOf<CookieUpdates[string]>().toEqualTypeOf<{ value: string | null; maxAgeMs?: number }>();

// Carriers (issue 13): a list of known names, httpCookie options given in part.
enableSession([http, ws], { secrets, carriers: ['httpCookie', 'header', 'body'], httpCookie: { secure: false }, sessionHeader: 'x-token' });
// @ts-expect-error no such carrier
enableSession(http, { secrets, carriers: ['localStorage'] });
// @ts-expect-error SameSite is one of three spellings
enableSession(http, { secrets, httpCookie: { sameSite: 'lax' } });
expectTypeOf<SessionPlugin['options']['carriers']>().toEqualTypeOf<readonly ('body' | 'header' | 'httpCookie')[]>();
expectTypeOf<SessionPlugin['options']['httpCookie']['sameSite']>().toEqualTypeOf<'Strict' | 'Lax' | 'None'>();

// Every error code in one object (issue 21), its values the wire's.
expectTypeOf(SessionErrorCode).toEqualTypeOf<{
    readonly StoreUnavailable: 'SESSION_STORE_UNAVAILABLE'; readonly UpdateConflict: 'SESSION_UPDATE_CONFLICT';
    readonly RequestTooLarge: 'REQUEST_TOO_LARGE'; readonly CrossSiteRequest: 'CROSS_SITE_REQUEST'; readonly TicketInvalid: 'SESSION_TICKET_INVALID';
    readonly SealedUnsupported: 'SESSION_SEALED_UNSUPPORTED'; readonly SealedTooLarge: 'SESSION_SEALED_TOO_LARGE';
}>();
expectTypeOf<SessionErrorCode>().toEqualTypeOf<
    'SESSION_STORE_UNAVAILABLE' | 'SESSION_UPDATE_CONFLICT' | 'REQUEST_TOO_LARGE' | 'CROSS_SITE_REQUEST' | 'SESSION_TICKET_INVALID'
    | 'SESSION_SEALED_UNSUPPORTED' | 'SESSION_SEALED_TOO_LARGE'>();

// A surface per audience (issue 21): ./server holds what an app author calls, ./stores what a store author needs.
expectTypeOf<keyof typeof server>().toEqualTypeOf<'enableSession' | 'MemoryStore' | 'limitRequestSize' | 'allowWebSocketOrigins' | 'limitWebSockets' | 'SessionErrorCode'>();
// @ts-expect-error store authors' names are not in ./server
void server.StoreWrapper;
// @ts-expect-error old per-file constants are gone: SessionErrorCode holds them
void server.CROSS_SITE_REQUEST;
expectTypeOf<keyof typeof stores>().toEqualTypeOf<'SESSION_RECORD_VERSION' | 'RENEWAL_CHAIN_LIMIT' | 'StoreWrapper' | 'SummerStorageAdapter' | 'KoaStoreAdapter' | 'describeStoreContract'>();

// A store author's contract test: a factory of fresh stores, run under mocha's globals or a harness given.
expectTypeOf(describeStoreContract).parameter(1).toEqualTypeOf<() => Promise<StoreUnderTest>>();
class LoggingStore extends StoreWrapper {
    protected async around<T>(_operation: string, run: () => Promise<T>): Promise<T> { return run(); }
}
describeStoreContract('a wrapped memory store', async () => ({ store: new LoggingStore(new MemoryStore()), async cleanup() {} }));
// @ts-expect-error the factory answers a store and its cleanup
describeStoreContract('no cleanup', async () => ({ store: new MemoryStore() }));
expectTypeOf<SessionPlugin['options']['httpCookie']['name']>().toEqualTypeOf<string>();
// @ts-expect-error the HTTP cookie's name is derived (__Host-<cookieName> when Secure), never given
enableSession(http, { secrets, httpCookie: { name: 'sid' } });
