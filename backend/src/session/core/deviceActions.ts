import type { BaseConnection } from 'tsrpc';
import type { DeviceInfo, SessionDevices } from './SessionContext';

/** What the device actions need of the call's session: whose it is, and how to end it. */
export interface DeviceOwner {
    /** The user's list of sessions. */
    devices: SessionDevices;
    /** The session's user, once read; undefined for an anonymous or absent session. */
    userId: string | undefined;
    /** The store key of the session, when it is stored. */
    storeKey: string | undefined;
    /** The call's connection: a revoke does not close the socket asking for it. */
    conn: BaseConnection | undefined;
    /** Logs this session out (the call revoked its own device). */
    destroy(): Promise<void>;
}

/** The user's sessions, this one marked. */
export function listDevices({ devices, userId, storeKey }: DeviceOwner): Promise<DeviceInfo[]> {
    return userId === undefined ? Promise.resolve([]) : devices.list(userId, storeKey);
}

/** Ends every other session of the user; returns how many. */
export function revokeOtherDevices({ devices, userId, storeKey, conn }: DeviceOwner): Promise<number> {
    return userId === undefined ? Promise.resolve(0) : devices.revokeAll(userId, storeKey, conn);
}

/** Ends one of the user's sessions by its device handle; this one's is a logout. */
export async function revokeDevice(owner: DeviceOwner, handle: string): Promise<boolean> {
    const { devices, userId, storeKey: ownStoreKey, conn } = owner;
    const storeKey = userId === undefined ? undefined : await devices.storeKeyOf(userId, handle);
    if (userId === undefined || storeKey === undefined) return false;
    if (storeKey === ownStoreKey) await owner.destroy();
    else await devices.revoke(userId, [storeKey], conn);
    return true;
}
