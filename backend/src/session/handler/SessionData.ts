/**
 * The app's session keys and their types. Augment it once, and `call.session.get('userId')` is typed:
 *
 * @example
 * ```ts
 * declare module 'tsrpc-session/server' {
 *     interface SessionData { userId: string; cart: CartLine[] }
 * }
 * ```
 * Until it is augmented, any string is a key and values are `unknown`.
 * Values must survive JSON: stores keep them as JSON or BSON.
 */
export interface SessionData {}

export type SessionKey = [keyof SessionData] extends [never] ? string : keyof SessionData & string;

export type SessionValue<K extends string> = K extends keyof SessionData ? SessionData[K] : unknown;
