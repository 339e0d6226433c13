export { HttpClient, HttpServer, WsClient, WsServer } from 'tsrpc';
