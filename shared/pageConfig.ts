/**
 * Where the example page finds its API: on its own origin, under these paths, which its web server
 * forwards to the API servers. The page takes no address from anywhere else (not from its URL, where
 * a link could point its login form and its session at another server).
 */
export const API_PATH = '/api/';

/** The WebSocket upgrade path on the page's origin. */
export const WEB_SOCKET_PATH = '/ws';

/** Where a WebSocket client redeems session tickets: the session plugin's default `exchangePath` under `API_PATH`. */
export const SESSION_EXCHANGE_URL = `${API_PATH}__session`;
