// The ISR / route / fetch cache handler: the package's factory, configured from the environment
// (MOMENTO_API_KEY, MOMENTO_ENDPOINT, MOMENTO_CACHE_NAME) plus an opt-in near cache.
import { createIsrHandler } from '@momento-http/next/isr';

export default createIsrHandler({ nearCache: process.env.MOMENTO_NEAR_CACHE === '1' });
