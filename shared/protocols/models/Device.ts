/** One of the user's sessions, as the devices page lists it. */
export interface Device {
    /** An opaque handle for RevokeDevice, never the session id. */
    id: string;
    /** The session of the caller. */
    current: boolean;
    createdAt: number;
    lastSeenAt: number;
    label?: string;
}
