export { enableCookies } from './enableCookies';
export type { ClientCarrier, EnableCookiesOptions } from './cookieOptions';
export type { SessionEndReason } from '../../../shared/sessionEnd';
export { CookieJar, JAR_VERSION } from './jar/CookieJar';
export type { CookieStorage } from './storages/CookieStorage';
export { MemoryStorage } from './storages/MemoryStorage';
export { browserLocalStorage } from './storages/browserStorage';
export { wxStorage } from './storages/wxStorage';
export type { WxStorageApi } from './storages/wxStorage';
