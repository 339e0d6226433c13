/** Messages between the scale benchmark (parent) and its server process. */

export interface ScaleServerSpec {
    /** redis-cluster: RedisStore spreading sessions over the cluster whose node `redisUrl` is. */
    store: 'memory' | 'redis' | 'redis-cluster';
    /** MemoryStore's bound: above the largest size, so nothing is evicted. */
    maxSessions: number;
    redisUrl: string;
    redisPrefix: string;
}

export type ToScaleServer =
    | { type: 'fill'; to: number }
    | { type: 'heap' }
    | { type: 'reset' }
    | { type: 'stats' }
    | { type: 'stop' };

export type FromScaleServer =
    | { type: 'ready'; port: number }
    | { type: 'filled'; count: number; fillMs: number; heapUsed: number }
    | { type: 'heap'; heapUsed: number }
    | { type: 'reset' }
    | { type: 'stats'; calls: number; cpuMicros: number };
