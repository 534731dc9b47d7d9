/** What the express suites share: the local server and a tracked store, apps under test, waits. */
export * from './apps';
export * from './backend';
export * from './processes';
export * from './sync';
