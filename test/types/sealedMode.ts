// Type tests of sealed mode (issue 24), compiled by `tsc -p test/types`.
import { expectTypeOf } from 'expect-type';
import { HttpServer } from 'tsrpc';
import { enableSession, MemoryStore, SealedSessionPlugin, SessionPlugin } from 'tsrpc-session/server';
import { serviceProto } from '../../shared/protocols/serviceProto';

const server = new HttpServer(serviceProto);
const secrets = ['0123456789abcdef0123456789abcdef'];

expectTypeOf(enableSession(server, { secrets, sealed: {} })).toEqualTypeOf<SealedSessionPlugin>();
expectTypeOf(enableSession(server, { secrets, sealed: { denyList: new MemoryStore(), audience: 'shop', maxBytes: 4096 } })).toEqualTypeOf<SealedSessionPlugin>();
expectTypeOf(enableSession(server, { secrets, store: new MemoryStore() })).toEqualTypeOf<SessionPlugin>();

// @ts-expect-error a sealed plugin has no store to list a user's devices from
void enableSession(server, { secrets, sealed: {} }).listSessions;
// @ts-expect-error sealed replaces store: both at once is refused
enableSession(server, { secrets, store: new MemoryStore(), sealed: {} });
// @ts-expect-error every write makes a new seal: there is no id to renew
enableSession(server, { secrets, sealed: {}, renewIdAfterMs: 60_000 });
