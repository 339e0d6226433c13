import { describeStoreContract, KoaStoreAdapter, SessionStore, SummerStorageAdapter } from 'tsrpc-session/stores';
import { Backend, mapKoaStore, mapSummerStorage, redisKoaStore, redisSummerStorage } from './adapterBackends';

function over<T>(makeBackend: () => Backend<T> | Promise<Backend<T>>, adapt: (storage: T) => SessionStore) {
    return async () => {
        const backend = await makeBackend();
        return { store: adapt(backend.storage), cleanup: () => backend.close() };
    };
}

describeStoreContract('SummerStorageAdapter over a Map', over(mapSummerStorage, s => new SummerStorageAdapter(s)));
describeStoreContract('SummerStorageAdapter over Redis hashes', over(redisSummerStorage, s => new SummerStorageAdapter(s)));
describeStoreContract('KoaStoreAdapter over a Map', over(mapKoaStore, s => new KoaStoreAdapter(s)));
describeStoreContract('KoaStoreAdapter over Redis strings', over(redisKoaStore, s => new KoaStoreAdapter(s)));
