import { randomBytes } from 'crypto';

/** Bytes of entropy in a generated secret: the 32 the server requires at least. */
const SECRET_BYTES = 32;

/** A random secret for `options.secrets` (base64url, 43 characters: more than the 32 bytes required). */
export function newSecret(): string {
    return randomBytes(SECRET_BYTES).toString('base64url');
}

export function secretCommand(): number {
    console.log(newSecret());
    return 0;
}
