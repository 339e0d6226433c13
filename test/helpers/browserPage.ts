import { Browser, chromium, Page } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Debian's Chromium, never a downloaded one; no network of its own besides the page's calls.
const CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
    return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Fills and submits the page's login form, without waiting for the outcome. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
    await submitLogin(page, username, password);
    await page.getByText('Signed in as').waitFor();
}

export async function waitForText(page: Page, selector: string, text: string): Promise<void> {
    await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, text] as const);
}

