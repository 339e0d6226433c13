import { scrypt, timingSafeEqual } from 'crypto';
import { promisify } from 'util';
import { PublicUser } from '../../../shared/protocols/models/PublicUser';

const scryptAsync = promisify(scrypt) as (password: string, salt: string, keylen: number) => Promise<Buffer>;
const KEY_LENGTH = 32;

interface DemoUser extends PublicUser {
    username: string;
    salt: string;
    /** scrypt(password, salt), base64; the passwords themselves are in the README. */
    passwordHash: string;
}

const users: readonly DemoUser[] = [
    { id: 'u1', name: 'Alice', username: 'alice', salt: 'durb6G2DBd3sfTYBSZ9yMw==', passwordHash: '84dbZV5P7YwNrCvLvNhLbtF0OQVS3iuh2xM9fzTLNjs=' },
    { id: 'u2', name: 'Bob', username: 'bob', salt: 'qrFm2lqSiBJMgSErfL6w1g==', passwordHash: 'qqDl3FzXVPW0fcQjaYnFzZjGesHNLoZ4u8LbO9kg01o=' },
];

/** A salt no user has, so an unknown name costs the same scrypt as a known one. */
const UNKNOWN_USER_SALT = 'tsrpc-session-unknown-user';

/** The user, when the password matches; checked in constant time either way. */
export async function checkPassword(username: string, password: string): Promise<PublicUser | undefined> {
    const user = users.find(u => u.username === username);
    const derived = await scryptAsync(password, user?.salt ?? UNKNOWN_USER_SALT, KEY_LENGTH);
    if (!user || !timingSafeEqual(derived, Buffer.from(user.passwordHash, 'base64'))) return undefined;
    return { id: user.id, name: user.name };
}

export function findUser(id: string): PublicUser | undefined {
    const user = users.find(u => u.id === id);
    return user && { id: user.id, name: user.name };
}
