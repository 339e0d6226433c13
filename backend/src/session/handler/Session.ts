import { CallSession, DONE } from '../core/CallSession';
import { DeviceInfo } from '../core/SessionContext';
import { listDevices, revokeDevice, revokeOtherDevices } from '../core/deviceActions';
import type { ConnectionSession, RegenerateOptions, Session } from './handlerApi';
import { FORBIDDEN_KEYS } from '../../../../shared/cookieName';
import { RESERVED_KEY_PREFIX } from '../core/recordVersions';
import { SessionData, SessionKey, SessionValue } from './SessionData';

/**
 * What backs `sessionOf(conn)`: the public face of a CallSession, without regenerate and destroy.
 * It checks keys and types values; every state change is the CallSession's.
 */
export class ConnectionSessionFacade implements ConnectionSession {
    protected readonly core: CallSession;

    constructor(core: CallSession) {
        this.core = core;
    }

    get id(): string | undefined {
        return this.core.id;
    }

    // The casts below are the typed face over stored JSON: `SessionData` is what the app declares it keeps.
    get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined> {
        return this.core.get(key) as Promise<SessionValue<K> | undefined>;
    }

    async getAll(): Promise<Partial<SessionData>> {
        return await this.core.getAll() as Partial<SessionData>;
    }

    // set and unset change only the call's pending state: a settled promise, no async frame per write.
    set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void> {
        try {
            checkKey(key);
            this.core.set(key, value);
            return DONE;
        } catch (e) {
            return Promise.reject(e);
        }
    }

    unset(key: SessionKey): Promise<void> {
        return this.set(key, undefined);
    }

    clear(): Promise<void> {
        return this.core.clear();
    }

    async update<K extends SessionKey, R extends SessionValue<K> | undefined>(key: K, fn: (current: SessionValue<K> | undefined) => R): Promise<R> {
        checkKey(key);
        return this.core.update(key, current => fn(current as SessionValue<K> | undefined));
    }

    reload(): Promise<void> {
        return this.core.reload();
    }

    save(): Promise<void> {
        return this.core.save();
    }

    touch(): Promise<void> {
        return this.core.touch();
    }

    async devices(): Promise<DeviceInfo[]> {
        return listDevices(await this.core.deviceOwner());
    }

    async revokeOtherDevices(): Promise<number> {
        return revokeOtherDevices(await this.core.deviceOwner());
    }

    async revokeDevice(handle: string): Promise<boolean> {
        return revokeDevice(await this.core.deviceOwner(), handle);
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
