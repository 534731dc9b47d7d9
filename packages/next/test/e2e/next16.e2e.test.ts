import { apps } from './global-setup';
import { defineNextSuite } from './suite';

defineNextSuite({ name: 'next16', appDir: apps.next16, hasMaxProfile: true });
