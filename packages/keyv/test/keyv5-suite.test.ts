// The official Keyv adapter suite (@keyv/test-suite 2.1.2: API, values, namespaces) under Keyv 5.6,
// against the real local server over HTTP. Iterator tests are left out: Momento cannot list keys.
import keyvTestSuite from '@keyv/test-suite';
import { useLocalServer } from '@momento-http/test-kit';
import Keyv from 'keyv';
import * as test from 'vitest';
import { KeyvMomento } from '../src/index';

const local = useLocalServer();

keyvTestSuite(test, Keyv, () => new KeyvMomento({ client: local.client() }));
