// Type tests of the client's carrier options (issue 13), compiled by `tsc -p test/types`.
import { expectTypeOf } from 'expect-type';
import { HttpClient, WsClient } from 'tsrpc';
import { WsClient as BrowserWsClient } from 'tsrpc-browser';
import { WsClient as MiniappWsClient } from 'tsrpc-miniapp';
import { ClientCarrier, CookieJar, enableCookies, EnableCookiesOptions, SessionEndReason } from 'tsrpc-session/client';
import { serviceProto } from '../../shared/protocols/serviceProto';

expectTypeOf<ClientCarrier>().toEqualTypeOf<'body' | 'httpCookie'>();
expectTypeOf<SessionEndReason>().toEqualTypeOf<'ended' | 'revoked'>();
expectTypeOf<EnableCookiesOptions['onSessionEnded']>().toEqualTypeOf<(reason: 'ended' | 'revoked') => void>();

// Every TSRPC WebSocket client takes the options, the browser's and the mini-program's too.
const onSessionEnded = (reason: SessionEndReason) => void reason;
expectTypeOf(enableCookies(new BrowserWsClient(serviceProto), { carrier: 'httpCookie', exchangeUrl: '/api/__session', onSessionEnded })).toEqualTypeOf<CookieJar>();
enableCookies(new MiniappWsClient(serviceProto), { onSessionEnded });
enableCookies(new WsClient(serviceProto), { sessionCookieName: 'app.sid', onSessionEnded });
enableCookies(new HttpClient(serviceProto), { carrier: 'httpCookie' });

// @ts-expect-error 'header' is a server carrier; a TSRPC client sends the body or rides the browser's cookie
enableCookies(new HttpClient(serviceProto), { carrier: 'header' });
// @ts-expect-error the callback is told why, as a SessionEndReason
enableCookies(new WsClient(serviceProto), { onSessionEnded: (reason: 'logout') => void reason });
// @ts-expect-error the timeout is a number of milliseconds
enableCookies(new WsClient(serviceProto), { carrier: 'httpCookie', exchangeUrl: '/api/__session', exchangeTimeoutMs: '10s' });
