import type { Device } from '../../../shared/protocols/models/Device';
import { h } from './dom';

export interface DeviceActions {
    revoke(id: string): Promise<void>;
    logoutOthers(): Promise<void>;
}

/** The user's signed-in devices, each revocable; hidden while nobody is logged in. */
export function renderDevices(root: HTMLElement, devices: readonly Device[] | undefined, actions: DeviceActions): void {
    root.hidden = devices === undefined;
    if (!devices) return root.replaceChildren();
    const others = devices.filter(d => !d.current).length;
    root.replaceChildren(
        h('h2', {}, 'Devices'),
        h('ul', { className: 'devices' }, ...devices.map(device => h('li', {},
            h('div', {},
                h('strong', { title: device.label ?? '' }, describeDevice(device.label)),
                device.current && h('span', { className: 'badge' }, 'this device'),
                h('p', { className: 'muted' }, `Signed in ${formatTime(device.createdAt)} · last seen ${formatTime(device.lastSeenAt)}`),
            ),
            !device.current && h('button', { type: 'button', className: 'small secondary', onclick: () => actions.revoke(device.id) }, 'Revoke'),
        ))),
        h('button', { type: 'button', className: 'secondary', disabled: others === 0, onclick: () => actions.logoutOthers() }, 'Log out all other devices'),
    );
}

/** "Chrome on Linux" from the User-Agent the server recorded as the label. */
function describeDevice(label: string | undefined): string {
    if (!label) return 'Unknown device';
    const browser = ['Edg', 'Firefox', 'MicroMessenger', 'Chrome', 'Safari'].find(name => label.includes(`${name}/`));
    const os = ['Windows', 'Android', 'iPhone', 'iPad', 'Mac OS X', 'Linux'].find(name => label.includes(name));
    if (!browser) return label.slice(0, 40);
    const names: Record<string, string> = { Edg: 'Edge', MicroMessenger: 'WeChat', 'Mac OS X': 'macOS' };
    return os ? `${names[browser] ?? browser} on ${names[os] ?? os}` : names[browser] ?? browser;
}

function formatTime(time: number): string {
    return new Date(time).toLocaleString();
}
