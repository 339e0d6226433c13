import assert from 'assert';
import { BaseServer, HttpServer, WsServer } from 'tsrpc';
import { enableSession } from 'tsrpc-session/server';
import { serviceProto } from '../protocols/serviceProto';
import { TEST_SECRETS } from '../helpers/sessionServer';
import { silentLogger } from '../helpers/transports';

type FlowName = keyof BaseServer<any>['flows'];

/** How many nodes the plugin put in each of a server's flows. */
function pluginNodes(server: BaseServer<any>): Partial<Record<FlowName, number>> {
    const counts: Partial<Record<FlowName, number>> = {};
    for (const [name, flow] of Object.entries(server.flows) as [FlowName, { nodes: unknown[] }][]) {
        if (flow.nodes.length > 0) counts[name] = flow.nodes.length;
    }
    return counts;
}

// Every node costs each call a turn of TSRPC's flow machinery: an HTTP server runs its connect and
// disconnect flows for every request, and has no long connection to bind or close.
describe('the flow nodes the plugin installs', () => {
    it('on an HTTP server: the call and return flows only', () => {
        const server = new HttpServer(serviceProto, { logger: silentLogger });
        enableSession(server, { secrets: TEST_SECRETS });
        assert.deepStrictEqual(pluginNodes(server), { preApiCallFlow: 1, preApiReturnFlow: 1 });
    });

    it('on a WebSocket server: also connect, disconnect and the answers in flight', () => {
        const server = new WsServer(serviceProto, { logger: silentLogger });
        enableSession(server, { secrets: TEST_SECRETS });
        assert.deepStrictEqual(pluginNodes(server), { postConnectFlow: 1, preApiCallFlow: 1, preApiReturnFlow: 1, postApiReturnFlow: 1, postDisconnectFlow: 1 });
    });
});
