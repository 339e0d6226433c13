import { CallSession } from '../core/CallSession';
import { DeviceInfo } from '../connections/DeviceDirectory';
import type { ConnectionSession, RegenerateOptions, Session } from './handlerApi';
import { FORBIDDEN_KEYS } from '../../../../shared/cookieName';
import { RESERVED_KEY_PREFIX } from '../core/recordVersions';
import { SessionData, SessionKey, SessionValue } from './SessionData';
import { recordOf } from '../core/SessionState';

/** What backs `sessionOf(conn)`: the public face of a CallSession, without regenerate and destroy. */
export class ConnectionSessionFacade implements ConnectionSession {
    protected readonly core: CallSession;

    constructor(core: CallSession) {
        this.core = core;
    }

    get id(): string | undefined {
        const state = this.core.state;
        return state.kind === 'loaded' || state.kind === 'followed' || state.kind === 'new' ? state.id : undefined;
    }

    async get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined> {
        const { core } = this;
        if (core.changes.has(key)) return core.changes.get(key) as SessionValue<K> | undefined;
        await core.ensureRead();
        return recordOf(core.state)?.data[key] as SessionValue<K> | undefined;
    }

    async getAll(): Promise<Partial<SessionData>> {
        await this.core.ensureRead();
        return this.core.data() as Partial<SessionData>;
    }

    async set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void> {
        checkKey(key);
        this.core.changes.set(key, value);
    }

    async unset(key: SessionKey): Promise<void> {
        checkKey(key);
        this.core.changes.set(key, undefined);
    }

    async clear(): Promise<void> {
        await this.core.ensureRead();
        for (const key of Object.keys(this.core.data())) this.core.changes.set(key, undefined);
    }

    async update<K extends SessionKey, R extends SessionValue<K> | undefined>(key: K, fn: (current: SessionValue<K> | undefined) => R): Promise<R> {
        checkKey(key);
        return this.core.update(key, fn);
    }

    async reload(): Promise<void> {
        this.core.changes.clear();
        this.core.unread();
        await this.core.ensureRead();
    }

    save(): Promise<void> {
        return this.core.save();
    }

    touch(): Promise<void> {
        return this.core.touch();
    }

    devices(): Promise<DeviceInfo[]> {
        return this.core.devices();
    }

    revokeOtherDevices(): Promise<number> {
        return this.core.revokeOtherDevices();
    }

    revokeDevice(handle: string): Promise<boolean> {
        return this.core.revokeDevice(handle);
    }
}

/** What backs `call.session`. */
export class SessionFacade extends ConnectionSessionFacade implements Session {
    async regenerate(options: RegenerateOptions = {}): Promise<void> {
        await this.core.regenerate(options.keepData !== false);
    }

    async destroy(): Promise<void> {
        await this.core.destroy();
    }
}

function checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || FORBIDDEN_KEYS.has(key) || key.startsWith(RESERVED_KEY_PREFIX)) {
        throw new TypeError(`tsrpc-session: '${String(key)}' cannot be a session key`);
    }
}
