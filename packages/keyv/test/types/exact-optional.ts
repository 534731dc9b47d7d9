// Compiled with exactOptionalPropertyTypes (tsconfig.exact.json; `pnpm typecheck` runs it): the
// store must be accepted by Keyv 5 and Keyv 6 as their docs show, and createKeyv<T>() typed.
import Keyv from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { createKeyv, KeyvMomento } from '../../src/index';

interface User {
  name: string;
}

export const keyv5 = new Keyv(new KeyvMomento());
export const keyv6 = new Keyv6(new KeyvMomento());
export const keyv6Store = new Keyv6({ store: new KeyvMomento() });
export const users: Keyv<User> = createKeyv<User>({ namespace: 'users' });
export async function typedGet(): Promise<string | undefined> {
  const user = await users.get('user:1');
  return user?.name;
}
