import { apps } from './global-setup';
import { defineNextSuite } from './suite';

defineNextSuite({ name: 'next15', appDir: apps.next15, hasMaxProfile: false });
