// The CacheStore contract on the in-memory store and every stack the core builds over it.
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { conformanceOfEveryStack } from './conformance-stacks';

conformanceOfEveryStack('the memory store', () => createMemoryStore());
