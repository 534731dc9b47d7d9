// The 'use cache' handler for both `default` and `remote`.
import { createUseCacheHandler } from '@momento-http/next/use-cache';

export default createUseCacheHandler({ nearCache: process.env.MOMENTO_NEAR_CACHE === '1' });
